<?php
/**
 * Child process of CrisisDesk_Test_Site::create(): installs WordPress into a laid-out site.
 *
 * Follows WordPress's own tests/phpunit/includes/install.php: WP_INSTALLING, the site's
 * wp-config.php (which loads wp-settings.php), wp-admin/includes/upgrade.php, wp_install().
 * The permalink structure is set through populate_options, as the test installer does, so
 * wp_install() does not probe the (not yet served) site over HTTP to choose one.
 *
 * Usage: php wp-install.php SITE_DIR TITLE ADMIN_EMAIL ADMIN_PASSWORD
 */

if ( PHP_SAPI !== 'cli' || $argc < 5 ) {
	fwrite( STDERR, "usage: php wp-install.php SITE_DIR TITLE ADMIN_EMAIL ADMIN_PASSWORD\n" );
	exit( 2 );
}

list( , $site_dir, $title, $admin_email, $admin_password ) = $argv;

error_reporting( E_ALL & ~E_DEPRECATED );
define( 'WP_INSTALLING', true );
define( 'WP_DEBUG', false );
define( 'ABSPATH', rtrim( $site_dir, '/' ) . '/' );

$_SERVER['HTTP_HOST']       = 'localhost'; // WP_HOME and WP_SITEURL are constants in wp-config.php.
$_SERVER['SERVER_NAME']     = $_SERVER['HTTP_HOST'];
$_SERVER['SERVER_PORT']     = '80';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['REMOTE_ADDR']     = '127.0.0.1';
$_SERVER['PHP_SELF']        = '/wp-admin/install.php';
$_SERVER['REQUEST_URI']     = '/wp-admin/install.php';

// Hooks before WordPress loads, the way tests_add_filter() does it.
$GLOBALS['wp_filter'] = array(
	// No mail leaves the machine (wp_install() sends the "new site" notice).
	'pre_wp_mail'      => array( 10 => array( 'crisisdesk_no_mail' => array( 'function' => '__return_true', 'accepted_args' => 1 ) ) ),
	// Pretty permalinks from the start, as a shop has them (WooCommerce's REST API needs them).
	'populate_options' => array(
		10 => array(
			'crisisdesk_permalinks' => array(
				'function'      => static function () {
					add_option( 'permalink_structure', '/%postname%/' );
				},
				'accepted_args' => 0,
			),
		),
	),
);

require ABSPATH . 'wp-config.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

// Loading WordPress into an empty database leaves "table doesn't exist" errors behind; only a
// failed connection matters here.
if ( ! $wpdb->check_connection( false ) ) {
	fwrite( STDERR, 'no database connection to ' . DB_HOST . "\n" );
	exit( 1 );
}
$wpdb->last_error = '';

$result = wp_install( $title, 'admin', $admin_email, true, '', wp_slash( $admin_password ), '' );
if ( empty( $result['user_id'] ) ) {
	fwrite( STDERR, "wp_install() created no admin user\n" );
	exit( 1 );
}
if ( $wpdb->last_error ) {
	fwrite( STDERR, "database error during install: {$wpdb->last_error}\n" );
	exit( 1 );
}
// wp_install() flushed the rewrite rules with the structure above.
echo json_encode( array( 'user_id' => (int) $result['user_id'] ) ), "\n";
