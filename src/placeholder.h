#ifndef TRIBENCH_PLACEHOLDER_H
#define TRIBENCH_PLACEHOLDER_H

/*
 * GNU parallel's seven replacement strings in a command, for one input:
 *   {}    the input                {#}   the task number, from 1
 *   {.}   without its extension    {%}   the slot number, from 1
 *   {/}   the basename             {//}  the dirname
 *   {/.}  the basename without its extension
 * defined as GNU parallel defines them: {.} s:\.[^/.]+$::, {/} s:.*\/::,
 * {//} Perl's File::Basename dirname. Nothing else in braces is special.
 */

#include <stdbool.h>

enum placeholder_part {
	PLACEHOLDER_INPUT,        /* {} */
	PLACEHOLDER_NOEXT,        /* {.} */
	PLACEHOLDER_BASENAME,     /* {/} */
	PLACEHOLDER_DIRNAME,      /* {//} */
	PLACEHOLDER_BASE_NOEXT,   /* {/.} */
};

/* Does text hold any of the seven replacement strings? Pure, O(length). */
bool placeholder_any(const char *text);
/* Does text hold {%}, which only a launch can fill in? Pure, O(length). */
bool placeholder_has_slot(const char *text);
/* The part of input that a replacement string stands for. Newly allocated,
 * never NULL (an empty string where the part is empty, "." for the dirname
 * of a name without '/', as dirname(1) says). */
char *placeholder_part(const char *input, enum placeholder_part part);
/*
 * text with every replacement string but {%} filled in for input and task
 * number task_no (from 1). quote: each part of the input is written with
 * shell_quote, for a shell line (GNU parallel's habit; a number needs no
 * quotes). One pass: the input's own text is never read as a placeholder.
 * {%} stays as written, for placeholder_fill_slot at launch. Newly
 * allocated, never NULL.
 */
char *placeholder_expand(const char *text, const char *input, long task_no, bool quote);
/* text with each {%} replaced by slot_no (the task's slot + 1). Newly
 * allocated (the parent calls it before a launch), never NULL. An input put
 * in by placeholder_expand that itself holds "{%}" is replaced too: the one
 * case where an input's text is read again. */
char *placeholder_fill_slot(const char *text, int slot_no);

#endif
