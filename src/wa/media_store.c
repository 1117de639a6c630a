/* The media directory: temporary files under <dir>/tmp and content-addressed names
 * "<aa>/<sha256 hex>" (see laris_wa_media_path). Names never come from input. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "laris/crypto.h"
#include "laris/log.h"
#include "laris/wa.h"

static bool make_dir(const char *path)
{
    if (mkdir(path, 0750) == 0 || errno == EEXIST)
        return true;
    laris_log(LARIS_ERROR, "media directory %s: %s", path, strerror(errno));
    return false;
}

int laris_wa_media_tmp_open(laris_arena_t *a, const char *dir, const char **tmp_path)
{
    const char *tmp_dir = laris_arena_printf(a, "%s/tmp", dir);
    if (!make_dir(dir) || !make_dir(tmp_dir))
        return -1;
    char name[33];
    laris_random_hex(name, 16);
    *tmp_path = laris_arena_printf(a, "%s/%s", tmp_dir, name);
    int fd = open(*tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0)
        laris_log(LARIS_ERROR, "media temporary file: %s", strerror(errno));
    return fd;
}

bool laris_wa_media_commit(laris_arena_t *a, const char *dir, const char *tmp_path,
                           const char *sha256_hex, const char **rel)
{
    *rel = laris_wa_media_path(a, sha256_hex);
    const char *sub = laris_arena_printf(a, "%s/%.2s", dir, sha256_hex);
    const char *final = laris_arena_printf(a, "%s/%s", dir, *rel);
    if (!make_dir(sub) || rename(tmp_path, final) != 0) {
        laris_log(LARIS_ERROR, "media file %s: %s", *rel, strerror(errno));
        unlink(tmp_path);
        return false;
    }
    return true;
}
