"""How live the classroom widgets feel: median redraw time per slider move (not
part of the tests).

Each explorer is built on the chapter's data (n = 300) and driven through its
API, as a user would: one start slider is set to a sequence of values, and each
move re-runs EM from the new start and renders the figure to the PNG the
notebook shows. Printed: the median and the 90th percentile of the wall time
per move, the median CPU time of this process (what the move costs on an idle
machine), and the iterations EM took; the goal is a wall median under 200 ms.
The step-by-step widget is timed per button press.

Run: .venv/bin/python bench/bench_widgets.py [--moves 25]
"""

import argparse
import os
import time

import matplotlib
import numpy as np

matplotlib.use("Agg")

from gmm_teach.teaching import datasets  # noqa: E402  (after choosing the backend)
from gmm_teach.teaching.widgets import (  # noqa: E402
    InitExplorer1D,
    InitExplorer2D,
    StepByStepEM,
)

GOAL = 0.200  # seconds, median per slider move


def _timed(action):
    """(wall seconds, CPU seconds of this process) that ``action()`` takes."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def _time_moves(slider, values, explorer):
    """(wall, CPU) seconds per move of ``slider`` through ``values``, and EM's
    iterations."""
    times, iterations = [], []
    for value in values:

        def move(value=value):
            slider.value = float(value)  # re-runs EM, redraws

        times.append(_timed(move))
        iterations.append(
            explorer.result.n_iter if explorer.result is not None else 0
        )
    return np.array(times), np.array(iterations)


def _time_clicks(buttons):
    """(wall, CPU) seconds per press of each button in ``buttons``, in
    order."""
    return np.array([_timed(button.click) for button in buttons])


def _report(name, times, iterations=None):
    """One line: median and 90th percentile of wall time, median CPU time, the
    verdict."""
    wall, cpu = times[:, 0], times[:, 1]
    verdict = "ok" if np.median(wall) < GOAL else "TOO SLOW"
    extra = (
        ""
        if iterations is None
        else f"   EM iterations: median {np.median(iterations):.0f}"
    )
    print(
        f"{name:<38} wall median {1000 * np.median(wall):6.1f} ms  "
        f"p90 {1000 * np.percentile(wall, 90):6.1f} ms"
        f"   CPU median {1000 * np.median(cpu):6.1f} ms   [{verdict}]{extra}"
    )


def main(moves):
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    print(
        f"{moves} moves per widget; "
        f"goal: wall median < {1000 * GOAL:.0f} ms per move. "
        f"Load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
        "(wall time grows with it; CPU time much less); "
        f"OPENBLAS_NUM_THREADS={threads}"
    )
    x = datasets.three_groups_1d().x  # (300,), chapter 5
    explorer = InitExplorer1D(x)
    seconds, iterations = _time_moves(
        explorer.mean_sliders[0], np.linspace(-8, 8, moves), explorer
    )
    _report("InitExplorer1D, mean slider", seconds, iterations)

    X = datasets.three_blobs_2d().X  # (300, 2), chapter 6
    explorer = InitExplorer2D(X)
    seconds, iterations = _time_moves(
        explorer.x_sliders[0], np.linspace(-2, 7, moves), explorer
    )
    _report("InitExplorer2D (full), mean x slider", seconds, iterations)
    seconds, iterations = _time_moves(
        explorer.spread_slider, np.linspace(0.3, 4, moves), explorer
    )
    _report("InitExplorer2D (full), spread slider", seconds, iterations)

    stepper = StepByStepEM(X)
    presses = [stepper.e_step_button, stepper.m_step_button] * (moves // 2)
    _report("StepByStepEM (2-D), E-step / M-step", _time_clicks(presses))


if __name__ == "__main__":
    # the docstring's first sentence, on one line
    summary = " ".join(__doc__.split("\n\n")[0].split())
    parser = argparse.ArgumentParser(description=summary)
    parser.add_argument(
        "--moves",
        type=int,
        default=25,
        help="slider moves (button presses) per widget",
    )
    main(parser.parse_args().moves)
