#ifndef REHEARSE_CMONGOC_SHIM_H
#define REHEARSE_CMONGOC_SHIM_H
#include <mongoc/mongoc.h>
#include <bson/bson.h>

/* bson_t is declared 128-byte aligned, so Swift sees it only as an opaque pointer and cannot give libmongoc
 * the caller-allocated `reply` it wants. This runs the command with a reply on the C stack and returns a heap
 * copy that the caller owns and frees with bson_destroy (also when *succeeded is false: the server's error
 * reply is kept). */
static inline bson_t *rehearse_client_command_simple(mongoc_client_t *client, const char *database,
                                                     const bson_t *command, bson_error_t *error,
                                                     bool *succeeded) {
    bson_t reply;
    *succeeded = mongoc_client_command_simple(client, database, command, NULL, &reply, error);
    bson_t *copy = bson_copy(&reply);
    bson_destroy(&reply);
    return copy;
}

/* As above, with options (a session appended by mongoc_client_session_append). */
static inline bson_t *rehearse_client_command_with_opts(mongoc_client_t *client, const char *database,
                                                        const bson_t *command, const bson_t *opts,
                                                        bson_error_t *error, bool *succeeded) {
    bson_t reply;
    *succeeded = mongoc_client_command_with_opts(client, database, command, NULL, opts, &reply, error);
    bson_t *copy = bson_copy(&reply);
    bson_destroy(&reply);
    return copy;
}

/* Commits the session's transaction; the reply (with any errorLabels) is returned as a heap copy. */
static inline bson_t *rehearse_session_commit(mongoc_client_session_t *session, bson_error_t *error, bool *succeeded) {
    bson_t reply;
    *succeeded = mongoc_client_session_commit_transaction(session, &reply, error);
    bson_t *copy = bson_copy(&reply);
    bson_destroy(&reply);
    return copy;
}

#endif
