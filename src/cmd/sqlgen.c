/* laris-sqlgen: compiles named SQL statements and migrations into C at build time.
 *
 * Usage: laris-sqlgen OUT.h OUT.c --queries FILE... --migrations FILE...
 * A query file holds statements, each introduced by a line "-- name: some_name"; its text runs
 * to the next such line. The header gets an enum LARIS_SQL_SOME_NAME, the source a table of
 * {name, text, parameter count}. Migration files are embedded whole, named by their file name
 * without ".sql", in the order given (the build sorts them). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 1024

typedef struct {
    char *name;
    char *text;
    int nparams;
} item_t;

static item_t queries[MAX_ITEMS];
static int nqueries;
static item_t migrations[MAX_ITEMS];
static int nmigrations;

static void die(const char *what, const char *arg)
{
    fprintf(stderr, "laris-sqlgen: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
    exit(1);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die(strerror(errno), path);
    size_t cap = 4096, len = 0;
    char *data = malloc(cap);
    if (!data)
        die("out of memory", NULL);
    size_t n;
    while ((n = fread(data + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *bigger = realloc(data, cap * 2);
            if (!bigger)
                die("out of memory", NULL);
            data = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    data[len] = '\0';
    return data;
}

static char *copy_range(const char *start, size_t len)
{
    char *s = malloc(len + 1);
    if (!s)
        die("out of memory", NULL);
    memcpy(s, start, len);
    s[len] = '\0';
    return s;
}

/* Trims trailing white space and a final ';' so statements can be prepared. */
static void trim_statement(char *s)
{
    size_t len = strlen(s);
    while (len > 0 && (isspace((unsigned char)s[len - 1]) || s[len - 1] == ';'))
        s[--len] = '\0';
}

/* The highest $N in a statement (parameters are numbered from 1). */
static int count_params(const char *text)
{
    int max = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '$' && isdigit((unsigned char)p[1])) {
            long n = strtol(p + 1, NULL, 10);
            if (n > max)
                max = (int)n;
        }
    }
    return max;
}

static void check_name(const char *name, const char *file)
{
    if (!*name)
        die("empty statement name in", file);
    for (const char *p = name; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_'))
            die("statement names are lowercase letters, digits and _", name);
    for (int i = 0; i < nqueries; i++)
        if (strcmp(queries[i].name, name) == 0)
            die("duplicate statement name", name);
}

static void add_query(char *name, const char *start, size_t len, const char *file)
{
    check_name(name, file);
    if (nqueries == MAX_ITEMS)
        die("too many statements", NULL);
    item_t *q = &queries[nqueries++];
    q->name = name;
    q->text = copy_range(start, len);
    trim_statement(q->text);
    if (!*q->text)
        die("empty statement", name);
    q->nparams = count_params(q->text);
}

static void parse_query_file(const char *path)
{
    char *data = read_file(path);
    const char *marker = "-- name:";
    char *pending = NULL;
    const char *body = NULL;
    char *line = data;
    while (*line) {
        char *end = strchr(line, '\n');
        char *next = end ? end + 1 : line + strlen(line);
        if (strncmp(line, marker, strlen(marker)) == 0) {
            if (pending)
                add_query(pending, body, (size_t)(line - body), path);
            const char *n = line + strlen(marker);
            while (*n == ' ')
                n++;
            const char *ne = n;
            while (ne < next && !isspace((unsigned char)*ne))
                ne++;
            pending = copy_range(n, (size_t)(ne - n));
            body = next;
        }
        line = next;
    }
    if (pending)
        add_query(pending, body, strlen(body), path);
    free(data);
}

static void add_migration(const char *path)
{
    if (nmigrations == MAX_ITEMS)
        die("too many migrations", NULL);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len < 5 || strcmp(base + len - 4, ".sql") != 0)
        die("a migration file must end in .sql", path);
    migrations[nmigrations].name = copy_range(base, len - 4);
    migrations[nmigrations].text = read_file(path);
    nmigrations++;
}

/* Writes s as a C string literal, one source line per SQL line. */
static void write_literal(FILE *out, const char *s)
{
    fputs("\n        \"", out);
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '\\':
            fputs("\\\\", out);
            break;
        case '"':
            fputs("\\\"", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        case '\r':
            break;
        case '\n':
            if (p[1])
                fputs("\\n\"\n        \"", out);
            else
                fputs("\\n", out);
            break;
        default:
            fputc(*p, out);
        }
    }
    fputc('"', out);
}

static void write_header(const char *path)
{
    FILE *out = fopen(path, "w");
    if (!out)
        die(strerror(errno), path);
    fputs("/* Generated by laris-sqlgen from sql/; do not edit. */\n"
          "#ifndef LARIS_SQL_GEN_H\n#define LARIS_SQL_GEN_H\n\n"
          "typedef enum {\n",
          out);
    for (int i = 0; i < nqueries; i++) {
        fputs("    LARIS_SQL_", out);
        for (const char *p = queries[i].name; *p; p++)
            fputc(toupper((unsigned char)*p), out);
        fputs(",\n", out);
    }
    fputs("    LARIS_SQL_COUNT\n} laris_sql_id;\n\n"
          "typedef struct {\n    const char *name;\n    const char *text;\n    int nparams;\n"
          "} laris_sql_statement_t;\n\n"
          "typedef struct {\n    const char *name;\n    const char *text;\n"
          "} laris_sql_migration_t;\n\n"
          "extern const laris_sql_statement_t laris_sql_statements[LARIS_SQL_COUNT];\n"
          "extern const laris_sql_migration_t laris_sql_migrations[];\n"
          "extern const int laris_sql_migration_count;\n\n#endif\n",
          out);
    if (fclose(out) != 0)
        die(strerror(errno), path);
}

static void write_source(const char *path)
{
    FILE *out = fopen(path, "w");
    if (!out)
        die(strerror(errno), path);
    fputs("/* Generated by laris-sqlgen from sql/; do not edit. */\n"
          "#include \"laris/sql_gen.h\"\n\n"
          "const laris_sql_statement_t laris_sql_statements[LARIS_SQL_COUNT] = {\n",
          out);
    for (int i = 0; i < nqueries; i++) {
        fprintf(out, "    {\"%s\",", queries[i].name);
        write_literal(out, queries[i].text);
        fprintf(out, ",\n        %d},\n", queries[i].nparams);
    }
    fputs("};\n\nconst laris_sql_migration_t laris_sql_migrations[] = {\n", out);
    for (int i = 0; i < nmigrations; i++) {
        fprintf(out, "    {\"%s\",", migrations[i].name);
        write_literal(out, migrations[i].text);
        fputs("},\n", out);
    }
    fprintf(out, "    {0, 0}\n};\n\nconst int laris_sql_migration_count = %d;\n", nmigrations);
    if (fclose(out) != 0)
        die(strerror(errno), path);
}

int main(int argc, char **argv)
{
    if (argc < 3)
        die("usage: laris-sqlgen OUT.h OUT.c --queries FILE... --migrations FILE...", NULL);
    int mode = 0; /* 1: queries, 2: migrations */
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--queries") == 0)
            mode = 1;
        else if (strcmp(argv[i], "--migrations") == 0)
            mode = 2;
        else if (mode == 1)
            parse_query_file(argv[i]);
        else if (mode == 2)
            add_migration(argv[i]);
        else
            die("unexpected argument", argv[i]);
    }
    if (nqueries == 0)
        die("no statements found", NULL);
    write_header(argv[1]);
    write_source(argv[2]);
    return 0;
}
