/**
 * The longest user id, in characters (code points): the token subject, the `{user_id}` path
 * segment and the `tasks.user_id` column are all bounded by it.
 */
export const USER_ID_MAX_LENGTH = 255;
