#!/usr/bin/python3
# test-e2e.py: drives the real rapport binary through AT-SPI, as a person would.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-e2e.py RAPPORT_BINARY SCREENSHOT_DIR
# Run under a display and a session bus (see testing.md):
#   xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- meson test --suite e2e
# Prints TAP. Screenshots: e2e-today.png, e2e-contact.png, e2e-log-dialog.png.

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback

# A fixed clock: the first run is on Monday 2 March 2026; the second four days
# later, when the follow-up logged in the first is due.
FIRST_DAY = "2026-03-02T09:00:00Z"
LATER_DAY = "2026-03-06T09:00:00Z"
# Generous: CI runs this under AddressSanitizer on two busy cores.
TIMEOUT = 60.0

CONTACT = "Inês Duarte"
SEARCH = "dua"
ME = "Ana Pereira"
DEPARTMENT = "Sales"


def skip_all(reason):
    print("1..0 # SKIP " + reason)
    sys.exit(0)


if not os.environ.get("DISPLAY"):
    skip_all("no display: run under xvfb-run")
if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
    skip_all("no session bus: run under dbus-run-session")

# The shared test environment makes GLib warnings fatal; the AT-SPI client
# library warns about things of the bus, not of Rapport. Unset before GLib
# loads.
os.environ.pop("G_DEBUG", None)

try:
    import pyatspi
except ImportError:
    skip_all("pyatspi is missing (python3-pyatspi)")


class Failure(Exception):
    pass


class App:
    """One running rapport process and its accessible tree."""

    def __init__(self, binary, workdir, now, files=()):
        env = dict(os.environ)
        env.pop("NO_AT_BRIDGE", None)
        # GTK 4.8's AT-SPI code itself logs criticals now and then while a
        # client walks a changing tree, so warnings are not fatal here;
        # Run.check_log() fails the step on any warning of Rapport's own.
        env.pop("G_DEBUG", None)
        env["GTK_A11Y"] = "atspi"
        env["RAPPORT_DATA_DIR"] = workdir
        env["RAPPORT_NOW"] = now
        env["LANGUAGE"] = "en"
        env["LC_ALL"] = "C.UTF-8"
        self.env = env
        self.binary = binary
        self.db = os.path.join(workdir, "rapport.db")
        self.log = open(os.path.join(workdir, "rapport.log"), "a")
        self.proc = subprocess.Popen(
            [binary, "--db", self.db] + list(files),
            env=env, stdout=self.log, stderr=self.log)
        self.root = None
        self.main = None
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise Failure("rapport exited early with %d" % self.proc.returncode)
            desktop = pyatspi.Registry.getDesktop(0)
            for acc in desktop:
                if acc is not None and acc.name in ("rapport", "rapport-gdb") and acc.childCount > 0:
                    self.root = acc
            if self.root is not None:
                for window in self.root:
                    if window is not None and window.name == "Rapport":
                        self.main = window
            if self.main is not None:
                return
            time.sleep(0.1)
        raise Failure("rapport's window did not show up on the accessibility bus")

    def open_files(self, *files):
        """Runs "rapport FILE..." again, as the file manager's Open With does:
        the running Rapport gets the files and the second process ends."""
        second = subprocess.run([self.binary, "--db", self.db] + list(files), env=self.env,
                                stdout=self.log, stderr=self.log, timeout=TIMEOUT)
        if second.returncode != 0:
            raise Failure("rapport FILE exited with %d" % second.returncode)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    # Finding things ---------------------------------------------------------

    def find_all(self, pred, window=None):
        """Walks @window, the main window by default. GTK 4.8 may crash when
        asked about a window that is closing, so windows that close are
        never walked again, and the list of windows is read only to wait for
        a new one."""
        found = []

        def visit(acc, depth):
            if acc is None or depth > 60:
                return
            try:
                # What has no size is on a hidden page: skip it whole.
                if not self.showing(acc):
                    return
                if pred(acc):
                    found.append(acc)
                for child in acc:
                    visit(child, depth + 1)
            except Exception:
                pass

        visit(window or self.main, 0)
        return found

    def showing(self, acc):
        """GTK 4.8 marks every widget "visible"; a widget on a hidden stack
        page has no size, so the size tells what a person sees."""
        try:
            extents = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        except NotImplementedError:
            return True
        except Exception:
            return False
        return extents.width > 0 and extents.height > 0

    def wait_for(self, what, pred, gone=False, window=None):
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            found = self.find_all(pred, window)
            if gone and not found:
                return None
            if found and not gone:
                return found[0]
            time.sleep(0.1)
        raise Failure(("still there: " if gone else "not found: ") + what)

    def named(self, role, name, exact=False):
        def pred(acc):
            if acc.getRoleName() != role:
                return False
            text = acc.name or ""
            return text == name if exact else name in text
        return pred

    def wait_for_window(self, title):
        """A new top-level window (GTK gives some the role frame, some filler)."""
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            for window in self.root:
                if window is not None and window.name == title:
                    return window
            time.sleep(0.1)
        raise Failure("no window: " + title)

    # Acting -----------------------------------------------------------------

    def click(self, role, name, window=None):
        acc = self.wait_for("%s “%s”" % (role, name), self.named(role, name), window=window)
        # A GtkMenuButton has no action itself; its inner button has.
        for target in [acc] + [c for c in acc if c is not None]:
            action = target.queryAction()
            names = [action.getName(i) for i in range(action.nActions)]
            for wanted in ("click", "activate", "press"):
                if wanted in names:
                    self.do_action(action, names.index(wanted))
                    return acc
        raise Failure("nothing to click in %s “%s”" % (role, name))

    @staticmethod
    def do_action(action, index):
        # GTK 4.8 answers an action only once it has run: a slow one (a
        # delete under AddressSanitizer) outlasts the AT-SPI client's reply
        # timeout. The action was delivered; the caller waits for its effect.
        try:
            action.doAction(index)
        except Exception as error:  # gi.repository.GLib.GError
            if "Did not receive a reply" not in str(error):
                raise

    def set_text(self, name, text, role="text", window=None):
        acc = self.wait_for("field “%s”" % name, self.named(role, name), window=window)
        if not acc.queryEditableText().setTextContents(text):
            raise Failure("could not type into “%s”" % name)
        return acc

    def key(self, keysym_name):
        """Presses and releases one key (through XTest, as a keyboard would)."""
        keysyms = {"Return": 0xff0d, "Escape": 0xff1b, "Tab": 0xff09}
        pyatspi.Registry.generateKeyboardEvent(keysyms[keysym_name], None, pyatspi.KEY_SYM)

    def text_of(self, acc):
        try:
            t = acc.queryText()
            return t.getText(0, t.characterCount)
        except Exception:
            return acc.name or ""


def screenshot(directory, name):
    path = os.path.join(directory, name)
    time.sleep(0.3)  # let the last frame reach the X server
    subprocess.run(["import", "-window", "root", path], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not os.path.getsize(path):
        raise Failure("empty screenshot " + path)


class Run:
    def __init__(self, binary, shots):
        self.binary = binary
        self.shots = shots
        self.workdir = tempfile.mkdtemp(prefix="rapport-e2e-")
        self.app = None
        self.n = 0
        # Reminders raise real notifications: give them a real daemon on
        # this private bus (it draws bubbles, so screenshots show them).
        self.notifications = None
        daemon = "/usr/lib/notification-daemon/notification-daemon"
        if os.path.exists(daemon):
            self.notifications = subprocess.Popen([daemon, "--replace"],
                                                  stdout=subprocess.DEVNULL,
                                                  stderr=subprocess.DEVNULL)

    def check_log(self):
        path = os.path.join(self.workdir, "rapport.log")
        if not os.path.exists(path):
            return
        with open(path) as f:
            for line in f:
                if re.search(r"\): rapport-[a-z]+-(WARNING|CRITICAL)", line):
                    raise Failure("rapport warned: " + line.strip())

    def step(self, description, func):
        self.n += 1
        started = time.time()
        try:
            func()
            self.check_log()
        except Exception as e:
            print("not ok %d - %s" % (self.n, description))
            for line in traceback.format_exc().splitlines():
                print("# " + line)
            print("# " + str(e))
            self.dump_log()
            print("Bail out! %s failed" % description)
            self.cleanup()
            sys.exit(1)
        print("ok %d - %s" % (self.n, description))
        print("# %.1f s" % (time.time() - started))
        sys.stdout.flush()

    def dump_log(self):
        path = os.path.join(self.workdir, "rapport.log")
        if os.path.exists(path):
            with open(path) as f:
                for line in f.read().splitlines()[-30:]:
                    print("# rapport: " + line)

    def cleanup(self):
        if self.app is not None:
            self.app.stop()
            self.app = None
        if self.notifications is not None:
            self.notifications.terminate()
            self.notifications.wait()
            self.notifications = None
        shutil.rmtree(self.workdir, ignore_errors=True)

    # Steps -------------------------------------------------------------------

    def start_first_day(self):
        self.app = App(self.binary, self.workdir, FIRST_DAY)

    def store_query(self, sql, *params):
        """Reads the store the app writes, as another program would."""
        db = sqlite3.connect("file:%s?mode=ro" % os.path.join(self.workdir, "rapport.db"),
                             uri=True, timeout=5)
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    def wait_for_store(self, what, sql, *params):
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            rows = self.store_query(sql, *params)
            if rows:
                return rows
            time.sleep(0.1)
        raise Failure("not in the store: " + what)

    def first_run(self):
        app = self.app
        dialog = app.wait_for_window("Welcome to Rapport")
        app.set_text("Your name", ME, window=dialog)
        app.set_text("Department", DEPARTMENT, window=dialog)
        app.click("push button", "Continue", window=dialog)
        self.wait_for_store("me", "SELECT 1 FROM users WHERE display_name = ? AND department = ?",
                            ME, DEPARTMENT)
        # Today starts empty and says so.
        app.wait_for("Today's empty state", app.named("label", "Nothing to Do Today"))

    def create_contact(self):
        app = self.app
        app.click("push button", "New Contact")
        editor = app.wait_for_window("New Contact")
        app.set_text("Name", CONTACT, window=editor)
        app.set_text("Emails, separated by commas", "ines.duarte@example.org", window=editor)
        app.set_text("Phones, separated by commas", "+351 21 555 0100", window=editor)
        app.click("push button", "Save", window=editor)
        # The editor closes and the new contact's page shows who and how.
        app.wait_for("the contact page", app.named("label", CONTACT, exact=True))
        app.wait_for("the preferred address", app.named("push button", "Write to ines.duarte@example.org"))
        self.wait_for_store("the contact", "SELECT 1 FROM contacts WHERE name = ? AND deleted = 0",
                            CONTACT)

    def log_interaction(self):
        app = self.app
        app.click("push button", "Log an Interaction")
        dialog = app.wait_for_window("Log an Interaction")
        app.set_text("Summary", "Called about the spring order", window=dialog)
        spin = app.wait_for("the follow-up days", app.named("spin button", "Follow up in days"),
                            window=dialog)
        try:
            spin.queryValue().currentValue = 3
        except Exception:
            spin.queryEditableText().setTextContents("3")
        app.wait_for("a follow-up of 3 days", lambda a: a.getRoleName() == "spin button"
                     and app.text_of(a) == "3", window=dialog)
        screenshot(self.shots, "e2e-log-dialog.png")
        app.click("push button", "Save", window=dialog)
        app.wait_for("the interaction in the timeline",
                     app.named("label", "Called about the spring order\n"))
        app.wait_for("the follow-up in the timeline",
                     app.named("label", "Follow up: Called about the spring order\n"))
        # Three days after the first day, 09:00 UTC.
        self.wait_for_store("the follow-up", "SELECT 1 FROM reminders WHERE due_at = ? AND done_at IS NULL",
                            1772442000 + 3 * 86400)
        screenshot(self.shots, "e2e-contact.png")

    def audit_names(self):
        """Every control a person can reach has a name a screen reader says."""
        app = self.app
        controls = ("push button", "toggle button", "check box", "text", "entry", "spin button",
                    "combo box", "menu item", "list", "radio button", "slider")
        found = app.find_all(lambda a: a.getRoleName() in controls)
        unnamed = [a for a in found if not (a.name or "").strip()]
        print("# %d controls checked" % len(found))
        if len(found) < 10:
            raise Failure("the audit found only %d controls" % len(found))
        if unnamed:
            raise Failure("controls without an accessible name: " +
                          ", ".join(sorted(set(a.getRoleName() for a in unnamed))))

    def restart_later(self):
        self.app.stop()
        self.app = App(self.binary, self.workdir, LATER_DAY)

    def complete_from_today(self):
        app = self.app
        done = "Mark the follow-up with %s as done" % CONTACT
        app.wait_for("the follow-up in Today", app.named("push button", done))
        # A screen reader names the focused list item: it says whose it is.
        app.wait_for("the follow-up's list item named after the contact",
                     lambda acc: acc.getRoleName() == "list item"
                     and (acc.name or "").startswith(CONTACT + "."))
        screenshot(self.shots, "e2e-today.png")
        app.click("push button", done)
        app.wait_for("the follow-up to leave Today", app.named("push button", done), gone=True)
        app.wait_for("Today's empty state", app.named("label", "Nothing to Do Today"))
        self.wait_for_store("the follow-up done", "SELECT 1 FROM reminders WHERE done_at IS NOT NULL")

    def find_by_search(self):
        app = self.app
        app.click("push button", "Search Contacts")
        app.set_text("Search contacts", SEARCH, role="entry")
        app.wait_for("the search result", app.named("label", CONTACT, exact=True))
        app.wait_for("the result's list item named after the contact",
                     lambda acc: acc.getRoleName() == "list item"
                     and (acc.name or "").startswith(CONTACT + ","))
        app.key("Return")
        app.wait_for("the contact page", app.named("push button", "Write to ines.duarte@example.org"))

    def delete_and_undo(self):
        app = self.app
        # The menu's popover hangs below its button: look there only.
        button = app.click("push button", "Contact Actions")
        app.click("menu item", "Delete Contact", window=button)
        # The toast lasts 5 s and a walk of the whole window is slow under
        # AddressSanitizer: one walk sees both the toast and the emptied
        # page, and Undo is then looked for inside the toast only.
        toast_label = app.named("label", "moved to Trash")
        contact_page = app.named("push button", "Write to ines.duarte@example.org")
        deadline = time.time() + TIMEOUT
        while True:
            found = app.find_all(lambda a: toast_label(a) or contact_page(a))
            toasts = [a for a in found if toast_label(a)]
            if toasts and len(toasts) == len(found):
                break
            if time.time() > deadline:
                raise Failure("not found: the undo toast with the page emptied")
            time.sleep(0.1)
        self.wait_for_store("the contact in the Trash", "SELECT 1 FROM contacts WHERE deleted = 1")
        toast = toasts[0].parent
        while toast is not None and not app.find_all(app.named("push button", "Undo"), toast):
            toast = toast.parent
        if toast is None:
            raise Failure("not found: push button “Undo” in the toast")
        app.click("push button", "Undo", window=toast)
        app.wait_for("the restored contact", app.named("push button", "Write to ines.duarte@example.org"))
        self.wait_for_store("the contact restored", "SELECT 1 FROM contacts WHERE deleted = 0")


    def open_with_rapport(self):
        """vCard and CSV files opened with Rapport (the desktop file's %U), at
        start and while it runs, each get an import dialog."""
        vcard = os.path.join(self.workdir, "from-phone.vcf")
        csv = os.path.join(self.workdir, "from-spreadsheet.csv")
        with open(vcard, "w") as f:
            f.write("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Rui Costa\r\nN:Costa;Rui;;;\r\n"
                    "EMAIL;TYPE=WORK:rui.costa@example.org\r\nEND:VCARD\r\n")
        with open(csv, "w") as f:
            f.write("Name,Email\nMarta Silva,marta.silva@example.org\n")
        self.app.stop()
        self.app = App(self.binary, self.workdir, LATER_DAY, files=[vcard])
        app = self.app
        # The vCard's page names the file; the CSV's previews its rows.
        for path, name, shown in ((vcard, "Rui Costa", "from-phone.vcf"),
                                  (csv, "Marta Silva", "Marta Silva")):
            if path == csv:
                app.open_files(csv)
            dialog = app.wait_for_window("Import Contacts")
            app.wait_for("“%s” in the dialog" % shown, app.named("label", shown, exact=True),
                         window=dialog)
            app.click("push button", "Import the File", window=dialog)
            self.wait_for_store(name, "SELECT 1 FROM contacts WHERE name = ?", name)
            app.click("push button", "Done", window=dialog)
            deadline = time.time() + TIMEOUT
            while any(w is not None and w.name == "Import Contacts" for w in app.root):
                if time.time() > deadline:
                    raise Failure("the import dialog stayed open after Done")
                time.sleep(0.1)

    def restore_backup(self):
        """A backup restored from the running app: its windows close, the
        store is replaced (the one it replaces kept beside it), and Rapport
        opens again on what the backup holds."""
        app = self.app
        cli = os.environ["RAPPORT_CLI"]
        backup = os.path.join(self.workdir, "backup.db")
        env = dict(app.env)
        for args in (["backup", backup], ["contact", "add", "--name", "After The Backup"]):
            done = subprocess.run([cli, "--db", app.db] + args, env=env, stdout=subprocess.DEVNULL,
                                  stderr=app.log, timeout=TIMEOUT)
            if done.returncode != 0:
                raise Failure("rapport-cli %s exited with %d" % (args[0], done.returncode))
        old_main = app.main
        # The menu's "Restore From Backup…" asks for a file (the portal's
        # chooser), then activates this action with it.
        gdbus = subprocess.run(
            ["gdbus", "call", "--session", "--dest", "org.rapport.Rapport.Devel",
             "--object-path", "/org/rapport/Rapport/Devel", "--method", "org.gtk.Actions.Activate",
             "restore-backup", "[<'%s'>]" % backup, "{}"],
            stdout=subprocess.DEVNULL, stderr=app.log, timeout=TIMEOUT)
        if gdbus.returncode != 0:
            raise Failure("could not activate app.restore-backup over D-Bus")
        restore = None
        deadline = time.time() + TIMEOUT
        while restore is None:
            for window in app.root:
                if window is not None and app.find_all(app.named("label", "Restore From This Backup?"),
                                                       window):
                    restore = window
            if restore is None:
                if time.time() > deadline:
                    raise Failure("no window asks to restore")
                time.sleep(0.1)
        app.wait_for("what the restore keeps", app.named("label", "undoes this"), window=restore)
        screenshot(self.shots, "e2e-restore.png")
        app.click("push button", "Restore", window=restore)
        kept = os.path.join(self.workdir, "rapport before restore ")
        deadline = time.time() + TIMEOUT
        while not any(os.path.join(self.workdir, f).startswith(kept) for f in os.listdir(self.workdir)):
            if time.time() > deadline:
                raise Failure("the store as it was was not kept")
            time.sleep(0.1)
        # A new main window, on the restored store, says so.
        deadline = time.time() + TIMEOUT
        app.main = None
        while app.main is None:
            for window in app.root:
                if window is not None and window.name == "Rapport" and window != old_main:
                    app.main = window
            if app.main is None:
                if time.time() > deadline:
                    raise Failure("Rapport did not open again after the restore")
                time.sleep(0.1)
        app.wait_for("the restore's toast", app.named("label", "from the backup"))
        if self.store_query("SELECT 1 FROM contacts WHERE name = 'After The Backup'"):
            raise Failure("the contact added after the backup is still in the store")
        if not self.store_query("SELECT 1 FROM contacts WHERE name = ?", CONTACT):
            raise Failure("the backup's contacts are not in the store")
        kept_file = [os.path.join(self.workdir, f) for f in os.listdir(self.workdir)
                     if os.path.join(self.workdir, f).startswith(kept) and f.endswith(".db")][0]
        db = sqlite3.connect("file:%s?mode=ro" % kept_file, uri=True)
        try:
            if not db.execute("SELECT 1 FROM contacts WHERE name = 'After The Backup'").fetchall():
                raise Failure("the kept store lacks the contact added after the backup")
        finally:
            db.close()
        screenshot(self.shots, "e2e-restored.png")


def main():
    if len(sys.argv) != 3:
        print("usage: test-e2e.py RAPPORT_BINARY SCREENSHOT_DIR", file=sys.stderr)
        sys.exit(2)
    run = Run(sys.argv[1], sys.argv[2])
    print("1..11")
    run.step("start rapport on a new store", run.start_first_day)
    run.step("first run asks for name and department", run.first_run)
    run.step("create a contact", run.create_contact)
    run.step("log an interaction with a follow-up in 3 days", run.log_interaction)
    run.step("every control on the contact page has an accessible name", run.audit_names)
    run.step("start again four days later", run.restart_later)
    run.step("complete the follow-up from Today", run.complete_from_today)
    run.step("find the contact by search", run.find_by_search)
    run.step("delete the contact and undo", run.delete_and_undo)
    run.step("open a vCard, then a CSV file, with Rapport", run.open_with_rapport)
    run.step("restore a backup while Rapport runs", run.restore_backup)
    run.cleanup()


main()
