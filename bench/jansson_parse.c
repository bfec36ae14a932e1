/* The reference a user would time `embedsvc batch` against: a program that only parses each line
 * of a JSON Lines file with jansson (json_loadb) and frees the tree — no evaluation, no output.
 * Usage: jansson_parse FILE.jsonl      (prints "N parsed, M errors" on stderr)
 * Built by bench/meson.build; run side by side with the batch process by bench/run. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: jansson_parse FILE.jsonl\n", stderr);
        return 2;
    }
    FILE *in = fopen(argv[1], "rb");
    if (!in) {
        perror(argv[1]);
        return 2;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long parsed = 0, errors = 0;
    while ((n = getline(&line, &cap, in)) != -1) {
        json_error_t e;
        json_t *j = json_loadb(line, (size_t)n, 0, &e);
        if (j) {
            parsed++;
            json_decref(j);
        } else {
            errors++;
        }
    }
    free(line);
    fclose(in);
    fprintf(stderr, "%ld parsed, %ld errors\n", parsed, errors);
    return 0;
}
