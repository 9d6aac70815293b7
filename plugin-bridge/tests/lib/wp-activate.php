<?php
/**
 * Child process of CrisisDesk_Test_Site::create(): finishes an installed site the way a shop
 * owner would, in an admin request of its own:
 *
 * 1. WordPress loads normally;
 * 2. each plugin is activated with activate_plugin() as wp-admin/plugins.php does (is_admin(),
 *    the administrator as current user, wp-admin/includes loaded), and after the WooCommerce
 *    stand-in the rewrite rules are flushed with its post types registered (WooCommerce's
 *    installer does the same);
 * 3. optionally an application password is created for admin (REST Basic auth over http works
 *    because wp-config.php sets WP_ENVIRONMENT_TYPE to "local").
 *
 * Prints one line "CRISISDESK_RESULT {json}" on success; exits 1 with the reason otherwise.
 *
 * Usage: php wp-activate.php SITE_DIR MAKE_APP_PASSWORD(0|1) [PLUGIN_FILE...]
 * (plugins are activated in the order given: the WooCommerce stand-in first, then the bridge)
 */

if ( PHP_SAPI !== 'cli' || $argc < 3 ) {
	fwrite( STDERR, "usage: php wp-activate.php SITE_DIR 0|1 [PLUGIN_FILE...]\n" );
	exit( 2 );
}

$site_dir          = $argv[1];
$make_app_password = $argv[2];
$plugin_files      = array_slice( $argv, 3 );

define( 'ABSPATH', rtrim( $site_dir, '/' ) . '/' );
define( 'WP_ADMIN', true );
// A fatal error during activation should reach stderr as PHP prints it, not as an HTML page.
define( 'WP_DISABLE_FATAL_ERROR_HANDLER', true );
define( 'WP_DEBUG_DISPLAY', true );

$_SERVER['HTTP_HOST']       = 'localhost';
$_SERVER['SERVER_NAME']     = 'localhost';
$_SERVER['SERVER_PORT']     = '80';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['REMOTE_ADDR']     = '127.0.0.1';
$_SERVER['PHP_SELF']        = '/wp-admin/plugins.php';
$_SERVER['SCRIPT_NAME']     = '/wp-admin/plugins.php';
$_SERVER['REQUEST_URI']     = '/wp-admin/plugins.php?action=activate';

$GLOBALS['wp_filter'] = array(
	'pre_wp_mail' => array( 10 => array( 'crisisdesk_no_mail' => array( 'function' => '__return_true', 'accepted_args' => 1 ) ) ),
);

require ABSPATH . 'wp-config.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';

wp_set_current_user( 1 );

// wp_install() scheduled wordpress.org update checks; the site's must-use plugin keeps them from
// coming back (tests/site/crisisdesk-test-site.php).
foreach ( array( 'wp_version_check', 'wp_update_plugins', 'wp_update_themes', 'wp_https_detection' ) as $core_hook ) {
	wp_clear_scheduled_hook( $core_hook );
}

$result = array(
	'active_plugins' => array(),
	'app_password'   => null,
);

foreach ( $plugin_files as $plugin_file ) {
	if ( ! file_exists( WP_PLUGIN_DIR . '/' . $plugin_file ) ) {
		fwrite( STDERR, "cannot activate $plugin_file: " . WP_PLUGIN_DIR . "/$plugin_file does not exist (is plugin-bridge/" . basename( $plugin_file ) . " written yet?)\n" );
		exit( 1 );
	}
	$activated = activate_plugin( $plugin_file );
	if ( is_wp_error( $activated ) ) {
		$message = "activate_plugin('$plugin_file') failed: [" . $activated->get_error_code() . '] ' . wp_strip_all_tags( $activated->get_error_message() );
		$data    = $activated->get_error_data();
		if ( is_string( $data ) && '' !== $data ) {
			$message .= "\n--- output during activation ---\n" . $data;
		}
		fwrite( STDERR, $message . "\n" );
		exit( 1 );
	}
	if ( 'woocommerce/woocommerce.php' === $plugin_file ) {
		// WooCommerce is loaded only now: register its post types as init would, then flush the
		// rewrite rules as its installer does (product permalinks).
		WC_Standin_Post_Types::register_taxonomies();
		WC_Standin_Post_Types::register_post_types();
		WC_Standin_Post_Types::register_post_status();
		flush_rewrite_rules( false );
	}
	// activate_plugin() keeps the list in the options cache; read it back from the database.
	wp_cache_delete( 'alloptions', 'options' );
	if ( ! in_array( $plugin_file, (array) get_option( 'active_plugins', array() ), true ) ) {
		fwrite( STDERR, "activate_plugin('$plugin_file') returned no error but the plugin is not in active_plugins\n" );
		exit( 1 );
	}
}
$result['active_plugins'] = array_values( (array) get_option( 'active_plugins', array() ) );

if ( '1' === $make_app_password ) {
	$created = WP_Application_Passwords::create_new_application_password( 1, array( 'name' => 'crisisdesk-tests' ) );
	if ( is_wp_error( $created ) ) {
		fwrite( STDERR, 'cannot create an application password: ' . $created->get_error_message() . "\n" );
		exit( 1 );
	}
	$result['app_password'] = $created[0];
}

echo "\nCRISISDESK_RESULT ", wp_json_encode( $result ), "\n";
