#!/usr/bin/python3
# icons: the app icon and its symbolic variant are well-formed square SVGs,
# and the symbolic one uses a single colour (GTK recolours it).
import re
import sys
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}'
status = 0
for path in sys.argv[1:]:
    root = ET.parse(path).getroot()
    if root.tag != SVG + 'svg':
        print(f'{path}: not an SVG document', file=sys.stderr)
        status = 1
        continue
    w, h = root.get('width'), root.get('height')
    want = '16' if path.endswith('-symbolic.svg') else '128'
    if w != want or h != want or root.get('viewBox') != f'0 0 {want} {want}':
        print(f'{path}: canvas is {w}x{h}, expected {want}x{want}', file=sys.stderr)
        status = 1
    if path.endswith('-symbolic.svg'):
        colours = set(re.findall(r'#[0-9a-fA-F]{6}', open(path).read()))
        if len(colours) != 1:
            print(f'{path}: symbolic icon uses {sorted(colours)}', file=sys.stderr)
            status = 1
    if status == 0:
        print(f'ok {path}')
sys.exit(status)
