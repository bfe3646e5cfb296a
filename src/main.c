/* tribench: one process, one machine (tribench-mpi's main is mpi/mpi_main.c). */
#include "config.h"
#include "app.h"

int main(int argc, char **argv)
{
	return tribench_main(argc, argv);
}
