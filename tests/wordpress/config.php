<?php
// The test site's settings, required by the wp-config.php written in its directory for one run
// (which defines DB_HOST and WP_HOME first). The database is a throw-away one: root, no password.
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_SITEURL', WP_HOME);
// Nothing runs behind a request's back and nothing leaves the machine.
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('WP_DEBUG', false);
$table_prefix = 'wp_';
require_once ABSPATH . 'wp-settings.php';
