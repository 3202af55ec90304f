<?php
// Installs WordPress in an empty database and fills it from a model (see tests/wordpress/__init__.py):
//     php setup.php SITE_DIR MODEL.json
// prints {"posts": {slug: id}, "pages": {slug: id}, "media": {slug: id}} on stdout.

[, $site_dir, $model_file] = $argv;

function fail(WP_Error|string $error): never {
    fwrite(STDERR, (is_string($error) ? $error : $error->get_error_message()) . "\n");
    exit(1);
}

$model = json_decode(file_get_contents($model_file), true, 512, JSON_THROW_ON_ERROR);
if (!is_array($model) || array_is_list($model)) {
    fail('the model is an object: {"site": {…}, "posts": […], "pages": […]}');
}
foreach (array_merge($model['posts'] ?? [], $model['pages'] ?? []) as $entry) {
    if (array_diff(['slug', 'title', 'date'], array_keys($entry))) {
        fail('a post or a page needs a slug, a title and a date: ' . json_encode($entry, JSON_UNESCAPED_UNICODE));
    }
}
$site = ($model['site'] ?? []) + [
    'title' => 'tmv',
    'description' => '',
    'language' => 'fr_FR',
    'timezone' => 'Europe/Paris',
    'permalinks' => '/article/%postname%/',
    'theme' => null,  // WordPress's default theme
];

define('ABSPATH', $site_dir . '/');  // the site's wp-config.php, not Debian's (see router.php)
define('WP_INSTALLING', true);
require ABSPATH . 'wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/image.php';

// The set-up sends nothing anywhere: no mail, no request (WordPress tries its own URL for permalinks).
add_filter('pre_wp_mail', '__return_false');
add_filter('pre_http_request', fn() => new WP_Error('offline', 'the set-up makes no request'));

// As the web installer does: the default options and content in the site's language.
load_default_textdomain($site['language']);
$GLOBALS['wp_locale'] = new WP_Locale();
$admin = wp_install($site['title'], 'admin', 'admin@example.org', true, '', 'admin', $site['language'])['user_id'];
foreach ($wpdb->get_col("SELECT ID FROM $wpdb->posts") as $default_content) {
    wp_delete_post($default_content, true);  // "Bonjour tout le monde !", its comment, the sample pages
}
update_option('blogdescription', $site['description']);
update_option('timezone_string', $site['timezone']);
if ($site['theme']) {
    switch_theme($site['theme']);
}
$wp_rewrite->set_permalink_structure($site['permalinks']);
// The first request makes the rewrite rules: here tags and categories registered theirs before
// the permalinks were set, and would get none.
delete_option('rewrite_rules');
// An administrator may post any HTML (unfiltered_html): the posts keep their markup as given.
wp_set_current_user($admin);

/** The id of a user, a category or a tag given by name (a string) or as {name, slug}, made when new. */
function user_id(string|array $person): int {
    $person = is_array($person) ? $person : ['name' => $person];
    $login = $person['slug'] ?? sanitize_title($person['name']);
    $user = get_user_by('login', $login);
    return $user ? $user->ID : wp_insert_user(wp_slash([
        'user_login' => $login,
        'user_nicename' => $login,
        'display_name' => $person['name'],
        'user_email' => "$login@example.org",
        'user_pass' => wp_generate_password(),
        'role' => 'author',
    ]));
}

function term_id(string|array $term, string $taxonomy): int {
    $term = is_array($term) ? $term : ['name' => $term];
    $slug = $term['slug'] ?? sanitize_title($term['name']);
    $found = get_term_by('slug', $slug, $taxonomy);
    if ($found) {
        return $found->term_id;
    }
    $made = wp_insert_term(wp_slash($term['name']), $taxonomy, ['slug' => $slug]);
    return is_wp_error($made) ? fail($made) : $made['term_id'];
}

/** A post or a page from its model entry; `date` and `modified` are the site's local time. */
function insert(array $entry, string $type): int {
    $id = wp_insert_post(wp_slash([
        'import_id' => $entry['id'] ?? 0,
        'post_type' => $type,
        'post_status' => $entry['status'] ?? 'publish',
        'post_name' => $entry['slug'],
        'post_title' => $entry['title'],
        'post_content' => $entry['content'] ?? '',
        'post_excerpt' => $entry['excerpt'] ?? '',
        'post_date' => $entry['date'],
        'post_author' => isset($entry['author']) ? user_id($entry['author']) : get_current_user_id(),
    ]), true);
    if (is_wp_error($id)) {
        fail($id);
    }
    if ($type === 'post') {
        if (!empty($entry['categories'])) {  // else WordPress's default category, as on any site
            wp_set_object_terms($id, array_map(fn($t) => term_id($t, 'category'), $entry['categories']), 'category');
        }
        wp_set_object_terms($id, array_map(fn($t) => term_id($t, 'post_tag'), $entry['tags'] ?? []), 'post_tag');
    }
    if (isset($entry['modified'])) {
        // WordPress stamps a change with the clock; the model says when it happened.
        global $wpdb;
        $wpdb->update($wpdb->posts, [
            'post_modified' => $entry['modified'],
            'post_modified_gmt' => get_gmt_from_date($entry['modified']),
        ], ['ID' => $id]);
        clean_post_cache($id);
    }
    return $id;
}

/** A featured image drawn for the post (a plain JPEG), with its caption and alt text. */
function feature_image(int $post, array $entry): int {
    $image = $entry['image'];
    $canvas = imagecreatetruecolor($image['width'] ?? 800, $image['height'] ?? 600);
    imagefill($canvas, 0, 0, crc32($entry['slug']) & 0xFFFFFF);
    ob_start();
    imagejpeg($canvas);
    $upload = wp_upload_bits($image['file'] ?? "{$entry['slug']}.jpg", null, ob_get_clean(),
                             substr($entry['date'], 0, 4) . '/' . substr($entry['date'], 5, 2));
    if ($upload['error']) {
        fail($upload['error']);
    }
    $id = wp_insert_attachment(wp_slash([
        'post_mime_type' => 'image/jpeg',
        'post_title' => $image['title'] ?? $entry['slug'],
        'post_excerpt' => $image['caption'] ?? '',
        'post_status' => 'inherit',
        'post_date' => $entry['date'],
    ]), $upload['file'], $post, true);
    if (is_wp_error($id)) {
        fail($id);
    }
    wp_update_attachment_metadata($id, wp_generate_attachment_metadata($id, $upload['file']));
    update_post_meta($id, '_wp_attachment_image_alt', wp_slash($image['alt'] ?? ''));
    set_post_thumbnail($post, $id);
    return $id;
}

// Every post and page first, so that the ids the model asks for are free; then the images.
$made = ['posts' => [], 'pages' => [], 'media' => []];
foreach (['posts' => 'post', 'pages' => 'page'] as $list => $type) {
    foreach ($model[$list] ?? [] as $entry) {
        $made[$list][$entry['slug']] = insert($entry, $type);
    }
}
foreach ($model['posts'] ?? [] as $entry) {
    if (isset($entry['image'])) {
        $made['media'][$entry['slug']] = feature_image($made['posts'][$entry['slug']], $entry);
    }
}
echo json_encode($made, JSON_FORCE_OBJECT), "\n";
