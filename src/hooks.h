#ifndef TRIBENCH_HOOKS_H
#define TRIBENCH_HOOKS_H

/* hyperfine's four hooks, in the order a workload meets them. */
enum hook { HOOK_SETUP, HOOK_PREPARE, HOOK_CLEANUP, HOOK_CONCLUDE, HOOK_COUNT };

#endif
