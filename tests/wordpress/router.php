<?php
// PHP's built-in server in front of the test site (php -S ... router.php, document root: the site's
// directory). Files are served as they are; every other path goes to index.php, as Apache's rewrite
// rules do for pretty permalinks. ABSPATH is set here, first, so that WordPress's files (links to
// /usr/share/wordpress) load the site's own wp-config.php and not Debian's, which reads /etc.
define('ABSPATH', $_SERVER['DOCUMENT_ROOT'] . '/');

$path = urldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH));
$file = ABSPATH . ltrim($path, '/');
if (str_contains($path, '..')) {
    $file = ABSPATH . 'index.php';  // never a file outside the site; WordPress answers 404
} elseif (is_dir($file)) {
    if (!str_ends_with($path, '/')) {
        header('Location: ' . $path . '/', true, 301);
        return true;
    }
    $file .= 'index.php';
}
if (is_file($file) && !str_ends_with($file, '.php')) {
    return false;  // a static file: the server sends it
}
if (!is_file($file)) {
    $file = ABSPATH . 'index.php';
}
$_SERVER['SCRIPT_FILENAME'] = $file;
$_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = '/' . substr($file, strlen(ABSPATH));
chdir(dirname($file));
require $file;
