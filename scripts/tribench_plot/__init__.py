"""tribench_plot: the code of scripts/tribench-plot, one job per module.

  model        reading and checking a report into the model (load_report)
  common       what the figures share: picking entries and runs, names,
               colours, units, the figure's size, saving it atomically
  timeline     --kind timeline
  utilization  --kind utilization
  speedup      --kind speedup (bars, dot plot, and a --jobs sweep's scaling)
  compare      --kind compare
  cli          the arguments, DRAW (kind -> figure), draw() and main()

The script tribench-plot imports the names below from here, so that a script
or test loading it finds them as before (tp.load_report, tp.draw, tp.DRAW...).
Installed, the package lives in $(pkgdatadir)/python (mk/plot.am).
"""

from .cli import (DEFAULT_SIZE, DRAW, EXIT_INPUT, EXIT_OK, EXIT_RUNTIME, FORMATS, KINDS,
                  Parser, draw, main, parse_args)
from .common import (KIND_COLOURS, MODE_COLOURS, REPORT_COLOURS, SPARE_COLOURS, OutputError,
                     cpu_ranges, current_umask, entry_label, fmt_s, kind_colour, new_figure,
                     no_run_text, no_run_why, pick_run, pick_runs, pick_workloads, plural,
                     pyplot, save, slot_cpus)
from .compare import plot_compare
from .model import (MODE_ORDER, PROG, SCHEMA_VERSION, CpuUse, Entry, Fit, InputError, Reader,
                    Report, Run, Samples, StateSamples, Task, Workload, cpu_list, load_report,
                    STATE_SAMPLE_KEYS, read_entry, read_report, read_run, read_runs,
                    read_state_samples, read_task, read_workload)
from .speedup import (DOT_PLOT_MIN, dot_order, is_sweep, plot_scaling, plot_speedup,
                      plot_speedup_bars, plot_speedup_dots, serial_of, speedup_range,
                      why_no_speedup)
from .timeline import (MAX_IDLE_ROWS, NS, OTHER_WORK_MIN, STATE_STYLE, cpu_note,
                       draw_segments, empty_row_text, lanes_for, plot_timeline,
                       share_segments, task_outline, tick_segments, tick_states)
from .utilization import annotate, plot_utilization, utilization_panel

__all__ = [
    # cli
    "DEFAULT_SIZE", "DRAW", "EXIT_INPUT", "EXIT_OK", "EXIT_RUNTIME", "FORMATS", "KINDS",
    "Parser", "draw", "main", "parse_args",
    # common
    "KIND_COLOURS", "MODE_COLOURS", "REPORT_COLOURS", "SPARE_COLOURS", "OutputError",
    "cpu_ranges", "current_umask", "entry_label", "fmt_s", "kind_colour", "new_figure",
    "no_run_text", "no_run_why", "pick_run", "pick_runs", "pick_workloads", "plural",
    "pyplot", "save", "slot_cpus",
    # compare
    "plot_compare",
    # model
    "MODE_ORDER", "PROG", "SCHEMA_VERSION", "CpuUse", "Entry", "Fit", "InputError", "Reader",
    "Report", "Run", "Samples", "StateSamples", "Task", "Workload", "cpu_list", "load_report",
    "STATE_SAMPLE_KEYS", "read_entry", "read_report", "read_run", "read_runs",
    "read_state_samples", "read_task", "read_workload",
    # speedup
    "DOT_PLOT_MIN", "dot_order", "is_sweep", "plot_scaling", "plot_speedup",
    "plot_speedup_bars", "plot_speedup_dots", "serial_of", "speedup_range", "why_no_speedup",
    # timeline
    "MAX_IDLE_ROWS", "NS", "OTHER_WORK_MIN", "STATE_STYLE", "cpu_note", "draw_segments",
    "empty_row_text", "lanes_for", "plot_timeline", "share_segments", "task_outline",
    "tick_segments", "tick_states",
    # utilization
    "annotate", "plot_utilization", "utilization_panel",
]
