"""``python -m glutecoach.desk``: run the sitting-break coach (what the start-up entries call)."""

from glutecoach.desk.cli import main

if __name__ == "__main__":
    main()
