#ifndef TRIBENCH_SHELLWORD_H
#define TRIBENCH_SHELLWORD_H

/* POSIX shell words: quoting a string so that sh reads it back as one word. */

/* word as sh would read it back as one word: unchanged when it holds only
 * characters no shell treats specially (and is not empty), else in single
 * quotes with each ' written '\''. Newly allocated; never NULL. */
char *shell_quote(const char *word);
/* argv[0..argc-1] quoted and joined by single spaces: the command line a
 * shell user would type for this vector (a workload's name). Newly
 * allocated; never NULL. */
char *shell_join(char *const *argv, int argc);

#endif
