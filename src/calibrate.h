#ifndef TRIBENCH_CALIBRATE_H
#define TRIBENCH_CALIBRATE_H

#include "sched.h"
#include "tasks/task.h"

/* Measure the cpu kernel's speed on the slot's first PU alone (slot->pu, bound to
 * that one PU even when the slot holds more): three ~100 ms runs of thread CPU
 * time, median ops/ms. 0, or -1 with one error line. */
int calibrate_cpu(struct sched *s, const struct plan_slot *slot, struct calibration *out);

#endif
