"""An assistive-technology client for tests/test_atspi.py: what Orca does, through AT-SPI.

Run by the system Python (python3-gi with the Atspi typelib, gir1.2-atspi-2.0) inside the same
private D-Bus session as the app: it starts the app (the command after ``--``), finds it on the
accessibility bus, reads the names of its focusable objects, answers a screening question as an
AT does (the radio button's Toggle action) and listens to what the app says. Prints one JSON
object. Not collected by pytest (the name does not start with test_).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

APP_NAME = "Massage Referral Guide"
EVENTS = ("object:announcement", "object:text-changed:insert", "object:state-changed:focused")


def pump(seconds: float) -> None:
    context = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        while context.iteration(False):
            pass
        time.sleep(0.01)


def find_app(timeout: float) -> Atspi.Accessible | None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            if app is not None and app.get_name() == APP_NAME:
                return app
        pump(0.2)
    return None


def walk(node: Atspi.Accessible) -> list[Atspi.Accessible]:
    found = [node]
    for i in range(node.get_child_count()):
        child = node.get_child_at_index(i)
        if child is not None:
            found += walk(child)
    return found


def describe(node: Atspi.Accessible) -> dict:
    states = node.get_state_set()
    relations = {
        rel.get_relation_type().value_nick: [
            rel.get_target(i).get_name() for i in range(rel.get_n_targets())
        ]
        for rel in node.get_relation_set()
    }
    return {
        "role": node.get_role_name(),
        "name": node.get_name(),
        "focusable": states.contains(Atspi.StateType.FOCUSABLE),
        "showing": states.contains(Atspi.StateType.SHOWING),
        "relations": relations,
    }


def main(question: str, command: list[str]) -> dict:
    heard: list[dict] = []

    def on_event(event: Atspi.Event) -> None:
        try:
            source = {"role": event.source.get_role_name(), "name": event.source.get_name()}
        except GLib.Error:
            source = {}
        data = event.any_data
        heard.append({"type": event.type, **source, "data": str(data) if data else ""})

    listener = Atspi.EventListener.new(on_event)
    for kind in EVENTS:
        listener.register(kind)
    app_process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        ready = app_process.stdout.readline().strip() if app_process.stdout else ""
        app = find_app(30) if ready == "ready" else None
        if app is None:
            return {"error": f"the app did not appear on the AT-SPI bus ({ready!r})"}
        pump(1.0)  # the window's first events
        nodes = [describe(n) for n in walk(app)]
        target = next(
            (
                n
                for n in walk(app)
                if n.get_role_name() == "radio button" and n.get_name() == question
            ),
            None,
        )
        if target is None:
            return {"error": f"no radio button named {question!r}", "nodes": nodes}
        actions = [target.get_action_name(i) for i in range(target.get_n_actions())]
        heard.clear()
        target.do_action(actions.index("Toggle") if "Toggle" in actions else 0)
        pump(3.0)
        checked = target.get_state_set().contains(Atspi.StateType.CHECKED)
        return {"nodes": nodes, "actions": actions, "checked": checked, "heard": heard}
    finally:
        app_process.terminate()
        try:
            app_process.wait(10)
        except subprocess.TimeoutExpired:
            app_process.kill()


if __name__ == "__main__":
    split = sys.argv.index("--")
    print(json.dumps(main(sys.argv[1], sys.argv[split + 1 :])))
