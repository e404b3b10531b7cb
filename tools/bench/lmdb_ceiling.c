/*
 * The storage ceiling for `plaint append`: the same LMDB writes plaint makes (same named
 * databases and flags, same keys and values, same transactions as plaint's default --batch-size
 * (2,500 events, or argv[3]), MDB_NOSYNC), with
 * no JSON parsing, validation or hashing. Input: the TSV that prepare_inputs.py writes, one
 * event per line: id, case ("" for none), customer, brand, type, canonical JSON.
 *
 * As plaint does: the customer index is keyed by epoch and customer (store
 * format 2, see CustomerKeys.swift), and every posting is put with MDB_APPENDDUP (a new position
 * is always the last of its key's).
 *
 *   cc -O2 -o lmdb_ceiling lmdb_ceiling.c -llmdb && ./lmdb_ceiling events.tsv STORE_DIR
 *
 * For analysis only, CEILING_SKIP=ids,by_case,by_customer,by_brand,by_type (any of them) leaves
 * those tables unwritten, to see what each one costs: run.py never sets it.
 */
#include <lmdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define CHECK(expr) do { int rc_ = (expr); if (rc_) { fprintf(stderr, "%s: %s\n", #expr, mdb_strerror(rc_)); exit(1); } } while (0)

static void put_be64(unsigned char *out, uint64_t value) {
    for (int i = 7; i >= 0; i--) { out[i] = value & 0xff; value >>= 8; }
}

int main(int argc, char **argv) {
    if (argc != 3 && argc != 4) { fprintf(stderr, "usage: %s events.tsv store-dir [batch]\n", argv[0]); return 64; }
    long batch = argc == 4 ? atol(argv[3]) : 2500;
    if (batch < 1) { fprintf(stderr, "batch must be at least 1\n"); return 64; }
    const char *skip = getenv("CEILING_SKIP");
    #define SKIPS(name) (skip && strstr(skip, name))
    int skip_ids = SKIPS("ids"), skip_case = SKIPS("by_case"), skip_customer = SKIPS("by_customer");
    int skip_brand = SKIPS("by_brand"), skip_type = SKIPS("by_type");
    FILE *input = fopen(argv[1], "r");
    if (!input) { perror(argv[1]); return 66; }
    mkdir(argv[2], 0755);
    MDB_env *env;
    CHECK(mdb_env_create(&env));
    CHECK(mdb_env_set_maxdbs(env, 8));
    CHECK(mdb_env_set_mapsize(env, (size_t)64 << 30));
    CHECK(mdb_env_open(env, argv[2], MDB_NOTLS | MDB_NOSYNC, 0644));
    MDB_txn *txn;
    MDB_dbi events, ids, by_case, by_customer, by_brand, by_type, meta;
    unsigned postings = MDB_CREATE | MDB_DUPSORT | MDB_DUPFIXED;
    CHECK(mdb_txn_begin(env, NULL, 0, &txn));
    CHECK(mdb_dbi_open(txn, "events", MDB_CREATE, &events));
    CHECK(mdb_dbi_open(txn, "ids", MDB_CREATE, &ids));
    CHECK(mdb_dbi_open(txn, "by_case", postings, &by_case));
    CHECK(mdb_dbi_open(txn, "by_customer", postings, &by_customer));
    CHECK(mdb_dbi_open(txn, "by_brand", postings, &by_brand));
    CHECK(mdb_dbi_open(txn, "by_type", postings, &by_type));
    CHECK(mdb_dbi_open(txn, "meta", MDB_CREATE, &meta));
    CHECK(mdb_txn_commit(txn));

    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    uint64_t position = 0;
    unsigned char key[8];
    unsigned char *value = malloc(1 << 20);
    unsigned char customer_key[4 + 1024];
    CHECK(mdb_txn_begin(env, NULL, 0, &txn));
    while ((length = getline(&line, &capacity, input)) > 0) {
        if (line[length - 1] == '\n') line[--length] = 0;
        char *field[6];
        char *cursor = line;
        for (int i = 0; i < 5; i++) { field[i] = cursor; cursor = strchr(cursor, '\t'); *cursor++ = 0; }
        field[5] = cursor;
        size_t body = strlen(field[5]);
        position++;
        put_be64(key, position);
        /* Same value layout as plaint: version byte, recorded_at, version, hash, body. */
        memset(value, 0, 49);
        value[0] = 1;
        memcpy(value + 49, field[5], body);
        MDB_val k = {8, key}, v = {49 + body, value};
        CHECK(mdb_put(txn, events, &k, &v, MDB_APPEND));
        MDB_val idk = {strlen(field[0]), field[0]}, pos = {8, key};
        if (!skip_ids) CHECK(mdb_put(txn, ids, &idk, &pos, MDB_NOOVERWRITE));
        if (field[1][0] && !skip_case) { MDB_val ck = {strlen(field[1]), field[1]}; CHECK(mdb_put(txn, by_case, &ck, &pos, MDB_APPENDDUP)); }
        /* Format 2's customer key: the position's epoch (8,192 positions, 4 bytes big-endian), then
         * the customer (generated customers are far below the 476 bytes past which plaint hashes). */
        size_t customer_length = strlen(field[2]);
        uint32_t epoch = (uint32_t)((position - 1) >> 13);
        customer_key[0] = epoch >> 24; customer_key[1] = epoch >> 16; customer_key[2] = epoch >> 8; customer_key[3] = epoch;
        memcpy(customer_key + 4, field[2], customer_length);
        MDB_val uk = {4 + customer_length, customer_key};
        if (!skip_customer) CHECK(mdb_put(txn, by_customer, &uk, &pos, MDB_APPENDDUP));
        MDB_val bk = {strlen(field[3]), field[3]}; if (!skip_brand) CHECK(mdb_put(txn, by_brand, &bk, &pos, MDB_APPENDDUP));
        MDB_val tk = {strlen(field[4]), field[4]}; if (!skip_type) CHECK(mdb_put(txn, by_type, &tk, &pos, MDB_APPENDDUP));
        if (position % batch == 0) {
            CHECK(mdb_txn_commit(txn));
            CHECK(mdb_txn_begin(env, NULL, 0, &txn));
        }
    }
    CHECK(mdb_txn_commit(txn));
    CHECK(mdb_env_sync(env, 1));
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%llu %.3f\n", (unsigned long long)position, seconds);
    mdb_env_close(env);
    return 0;
}
