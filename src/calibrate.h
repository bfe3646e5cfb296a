#ifndef TRIBENCH_CALIBRATE_H
#define TRIBENCH_CALIBRATE_H

#include "sched.h"
#include "tasks/task.h"

/* Measure the cpu kernel's speed on the slot's PU: three ~100 ms runs, median ops/ms. */
int calibrate_cpu(struct sched *s, const struct plan_slot *slot, struct calibration *out);

#endif
