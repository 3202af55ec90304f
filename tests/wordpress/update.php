<?php
// Changes a post of a running test WordPress as an editor would (its modified date is now):
//     php update.php SITE_DIR SLUG FIELDS.json     (FIELDS: wp_update_post's, e.g. {"post_title": "…"})

[, $site_dir, $slug, $fields] = $argv;

define('ABSPATH', $site_dir . '/');  // the site's wp-config.php, as setup.php loads it
require ABSPATH . 'wp-load.php';
add_filter('pre_http_request', fn() => new WP_Error('offline', 'the change makes no request'));

$post = get_page_by_path($slug, OBJECT, 'post');
if (!$post) {
    fwrite(STDERR, "no post $slug\n");
    exit(1);
}
$changed = wp_update_post(wp_slash(['ID' => $post->ID] + json_decode($fields, true, 512, JSON_THROW_ON_ERROR)), true);
if (is_wp_error($changed)) {
    fwrite(STDERR, $changed->get_error_message() . "\n");
    exit(1);
}
