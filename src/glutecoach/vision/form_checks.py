"""Load and validate catalog/data/form_checks.yaml: fault names, thresholds and their sources.

A bad file raises FormChecksError with one message naming the file, the entry and the problem.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from glutecoach.vision.errors import FormChecksError
from glutecoach.vision.form_model import Check as Check
from glutecoach.vision.form_model import FormChecks as FormChecks
from glutecoach.vision.form_model import Posture as Posture
from glutecoach.vision.form_model import Profile as Profile
from glutecoach.vision.form_model import RepRule as RepRule
from glutecoach.vision.form_model import View as View


def _validate_semantics(checks: FormChecks) -> None:
    """Cross-checks pydantic cannot do alone: analyzers, metrics and joint names exist."""
    from glutecoach.vision.analyzers import ANALYZERS
    from glutecoach.vision.joints import JOINTS

    joint_stems = {j.removeprefix("left_").removeprefix("right_") for j in JOINTS}
    for name, profile in checks.profiles.items():
        if profile.analyzer not in ANALYZERS:
            raise ValueError(f"profiles.{name}.analyzer: unknown analyzer {profile.analyzer!r}")
        metrics = ANALYZERS[profile.analyzer].metric_names()
        if profile.range_metric not in metrics:
            raise ValueError(
                f"profiles.{name}.range_metric: unknown metric {profile.range_metric!r}"
            )
        for i, check in enumerate(profile.checks):
            if check.metric not in metrics:
                raise ValueError(
                    f"profiles.{name}.checks[{i}] ({check.fault}): metric {check.metric!r} is not "
                    f"measured by analyzer {profile.analyzer!r} (it measures {sorted(metrics)})"
                )
        for joint in profile.required_joints:
            if joint not in joint_stems:
                raise ValueError(f"profiles.{name}.required_joints: unknown joint {joint!r}")


def _validate_uiprmd(checks: FormChecks) -> None:
    from glutecoach.vision.analyzers import ANALYZERS

    for movement, entry in checks.uiprmd.items():
        metrics = ANALYZERS[checks.profiles[entry.profile].analyzer].metric_names()
        for feature in entry.features:
            if feature not in metrics:
                raise ValueError(f"uiprmd.{movement}.features: unknown metric {feature!r}")


def _format_validation(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(top level)"
    return f"{where}: {first['msg']}"


def parse_form_checks(text: str, origin: str) -> FormChecks:
    """Parse YAML text; FormChecksError('origin: entry: problem') when anything is wrong."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FormChecksError(f"{origin}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise FormChecksError(f"{origin}: (top level): expected a mapping")
    try:
        checks = FormChecks.model_validate(raw)
        _validate_semantics(checks)
        _validate_uiprmd(checks)
    except ValidationError as exc:
        raise FormChecksError(f"{origin}: {_format_validation(exc)}") from exc
    except ValueError as exc:
        raise FormChecksError(f"{origin}: {exc}") from exc
    return checks


def load_form_checks(path: Path | None = None) -> FormChecks:
    """The packaged form_checks.yaml, or another file laid out the same way."""
    if path is not None:
        return parse_form_checks(Path(path).read_text(encoding="utf-8"), str(path))
    return _packaged()


@lru_cache(maxsize=1)
def _packaged() -> FormChecks:
    resource = resources.files("glutecoach.catalog") / "data" / "form_checks.yaml"
    return parse_form_checks(resource.read_text(encoding="utf-8"), str(resource))
