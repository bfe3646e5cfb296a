#ifndef TRIBENCH_APP_H
#define TRIBENCH_APP_H

struct cluster;

/*
 * tribench's whole command line: argv[1] names the command (run, plan,
 * topology, list, compare, export, help, completion). Returns the exit
 * code (EXIT_OK, EXIT_BAD_INPUT, EXIT_RUNTIME, ...); everything it prints
 * goes to stdout and stderr. Ignores SIGPIPE.
 */
int tribench_main(int argc, char **argv);

/*
 * The MPI ranks beside this process, or NULL (tribench itself). Set by
 * tribench-mpi's rank 0 before tribench_main; `run` then spreads parallel
 * mode over them (cluster.h). Borrowed.
 */
extern struct cluster *app_cluster;

#endif
