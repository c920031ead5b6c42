"""Write the JSON Schemas of the user-facing file formats into docs/schemas/.

Run after changing a model: `python scripts/write_schemas.py`. A test checks they are current.
"""

from __future__ import annotations

import json
from pathlib import Path

from glutecoach.core.models import ScreeningAnswers
from glutecoach.core.simulate import SimulationScript
from glutecoach.export.jsonio import ExportDocument

SCHEMAS = {
    "answers.schema.json": ScreeningAnswers,
    "simulation.schema.json": SimulationScript,
    "export.schema.json": ExportDocument,
}
TARGET = Path(__file__).resolve().parent.parent / "docs" / "schemas"


def render(model: type) -> str:
    return json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"  # type: ignore[attr-defined]


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, model in SCHEMAS.items():
        (TARGET / name).write_text(render(model), encoding="utf-8")
        print(f"wrote docs/schemas/{name}")


if __name__ == "__main__":
    main()
