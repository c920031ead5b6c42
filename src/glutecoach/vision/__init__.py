"""Camera form coach: pose backends, named-joint skeletons, per-exercise analyzers, video I/O.

Importing this package is cheap: mediapipe and OpenCV are imported lazily, only by the code
paths that decode video or run the pose model (install them with ``glutecoach[vision]``).
"""

from glutecoach.vision.models import RepObservation
from glutecoach.vision.summary import measure_set, summarize

__all__ = ["RepObservation", "measure_set", "summarize"]
