"""The live coach fed one frame's landmarks at a time (vision/stream.py), as the web page does."""

from __future__ import annotations

import numpy as np
import pytest
from tests.live_replay import FPS, HOLD_S, bridge_set

from glutecoach.vision.skeletons import MEDIAPIPE_MAP
from glutecoach.vision.stream import LiveStream


def _play(stream: LiveStream, times: list[float], rows: np.ndarray) -> list:
    return [stream.push(t, row) for t, row in zip(times, rows, strict=True)]


def test_a_set_counts_each_rep_once_and_cues_the_faulty_rep_only() -> None:
    times, rows = bridge_set()
    states = _play(LiveStream("glute_bridge"), times, rows)
    assert states[-1].reps == 3
    cues = [(s.t, s.cue_fault, s.cue) for s in states if s.cue]
    assert [c[1] for c in cues] == ["incomplete_hip_extension"]
    assert "straight line" in cues[0][2]
    # spoken soon after the short rep (the second) ends, not at the end of the set
    assert 11.0 < cues[0][0] < 13.0


def test_the_hold_timer_runs_only_in_the_top_position() -> None:
    times, rows = bridge_set(short_rep=None)
    states = _play(LiveStream("glute_bridge"), times, rows)
    timing = [s for s in states if s.hold_s > 0]
    assert all(s.in_position and s.placement.ok for s in timing)
    assert not states[0].in_position and states[-1].hold_s == 0  # lying down: no timer
    best = max(s.hold_s for s in states)
    assert HOLD_S - 0.5 <= best <= HOLD_S + 1.5  # the hold, plus the last part of the lift


def test_finish_fills_the_set_log_with_reps_hold_and_form() -> None:
    times, rows = bridge_set()
    stream = LiveStream("glute_bridge")
    _play(stream, times, rows)
    measured = stream.finish()
    assert measured.reps == 3
    assert measured.hold_seconds == pytest.approx(HOLD_S, abs=0.4)
    assert measured.form is not None
    assert measured.form.reps_observed == 3 and measured.form.good_form_reps == 2
    assert measured.form.faults == {"incomplete_hip_extension": 1}
    assert measured.form.source == "camera"


def test_cues_wait_for_the_cooldown() -> None:
    shallow_times, shallow = _all_shallow()
    states = _play(LiveStream("glute_bridge", cue_cooldown_s=30), shallow_times, shallow)
    assert len([s for s in states if s.cue]) == 1  # three faulty reps, one cue in 30 s
    states = _play(LiveStream("glute_bridge", cue_cooldown_s=0.1), shallow_times, shallow)
    assert len([s for s in states if s.cue]) == 3


def _all_shallow() -> tuple[list[float], np.ndarray]:
    """Three reps, every one short of full extension."""
    _, rows = bridge_set(reps=1, short_rep=1)
    many = np.concatenate([rows[:-15]] * 3 + [rows[-15:]])
    return [i / FPS for i in range(len(many))], many


def test_placement_guide_names_what_is_out_of_frame() -> None:
    times, rows = bridge_set(reps=1, short_rep=None)
    stream = LiveStream("glute_bridge")
    states = _play(stream, times[:20], rows[:20])
    assert states[-1].placement.ok and states[-1].placement.person
    feet_out = rows[20:40].copy()
    for joint in ("left_ankle", "right_ankle", "left_heel", "right_heel", "left_toe", "right_toe"):
        feet_out[:, MEDIAPIPE_MAP[joint], 0] = 1.2  # past the right edge of the picture
    glitch = stream.push(times[20], feet_out[0])
    assert glitch.placement.ok  # one frame's guess is not a camera to move
    states = _play(stream, times[21:40], feet_out[1:])
    assert not states[-1].placement.ok
    message = states[-1].placement.message
    assert "feet" in message and "out of frame" in message and "further away" in message
    nobody = stream.push(times[40], None)
    assert not nobody.placement.person and "step into the picture" in nobody.placement.message


def test_placement_guide_says_turn_sideways_for_a_bridge_seen_from_the_front() -> None:
    times, rows = bridge_set(reps=1, short_rep=None, view="front")
    states = _play(LiveStream("glute_bridge"), times[:30], rows[:30])
    assert not states[-1].placement.ok
    assert states[-1].placement.view == "front"
    assert states[-1].placement.message.startswith("Turn sideways")


def test_bad_frames_are_refused_with_a_reason() -> None:
    stream = LiveStream("glute_bridge")
    with pytest.raises(ValueError, match="33, 4"):
        stream.push(0.0, np.zeros((17, 4)))
    stream.push(1.0, None)
    with pytest.raises(ValueError, match="increase"):
        stream.push(0.5, None)


def test_a_side_plank_is_timed_only_while_held() -> None:
    from tests.vision import synth

    from glutecoach.vision.skeletons import to_mediapipe

    series = synth.side_plank(12.0)  # 2 s lying, 12 s held, 2 s lying
    rows = to_mediapipe(series, synth.WIDTH, synth.HEIGHT)
    rows[:, :, 3] = np.where(np.isnan(rows[:, :, 0]), np.nan, 0.98)
    rows = rows[::2]
    stream = LiveStream("side_plank")
    states = _play(stream, [i / FPS for i in range(len(rows))], rows)
    lying = [s for s in states if s.t < 1.5 or s.t > 14.8]
    assert all(s.hold_s == 0 for s in lying)
    assert 11.0 <= max(s.hold_s for s in states) <= 12.5
    measured = stream.finish()
    assert measured.hold_seconds is not None and 11.0 <= measured.hold_seconds <= 12.5
