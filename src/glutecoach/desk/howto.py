"""``python -m glutecoach.desk.howto ID``: a small window with one micro-exercise's how-to.

Opened by a click on a reminder when the web app is not running. Tk (the standard library), in
its own short-lived process. ``--close-after MS`` closes it by itself (tests, screenshots).
"""

from __future__ import annotations

import sys

from glutecoach.desk.micro import MicroExercise, load_micro


def find(exercise_id: str) -> MicroExercise | None:
    return next((m for m in load_micro() if m.id == exercise_id), None)


def show(exercise: MicroExercise, close_after_ms: int | None = None) -> None:
    import tkinter as tk

    root = tk.Tk(className="glutecoach")
    root.title(f"glutecoach: {exercise.name}")
    frame = tk.Frame(root, padx=18, pady=14)
    frame.pack(fill="both", expand=True)
    tk.Label(frame, text=exercise.name, font=("TkDefaultFont", 14, "bold")).pack(anchor="w")
    tk.Label(frame, text=exercise.dose, fg="#20766e").pack(anchor="w", pady=(2, 8))
    tk.Label(frame, text=exercise.how, wraplength=380, justify="left").pack(anchor="w")
    sources = "Sources: " + ", ".join(exercise.sources)
    tk.Label(frame, text=sources, fg="#666666").pack(anchor="w", pady=(8, 8))
    tk.Button(frame, text="Close", command=root.destroy).pack(anchor="e")
    if close_after_ms is not None:
        root.after(close_after_ms, root.destroy)
    root.mainloop()


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    close_after = None
    if "--close-after" in args:
        at = args.index("--close-after")
        close_after = int(args[at + 1])
        del args[at : at + 2]
    if len(args) != 1:
        print(
            "usage: python -m glutecoach.desk.howto EXERCISE_ID [--close-after MS]", file=sys.stderr
        )
        return 2
    exercise = find(args[0])
    if exercise is None:
        known = ", ".join(m.id for m in load_micro())
        print(f"Error: no micro-exercise {args[0]!r} (known: {known})", file=sys.stderr)
        return 2
    show(exercise, close_after)
    return 0


if __name__ == "__main__":
    sys.exit(main())
