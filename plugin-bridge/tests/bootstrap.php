<?php
/**
 * PHPUnit bootstrap for the CrisisDesk bridge.
 *
 * Like WordPress's own tests/phpunit/includes/bootstrap.php: WordPress is installed in child
 * processes (here: a throw-away site made by lib/site.php, with the WooCommerce stand-in and the
 * plugin activated as a shop owner would), then loaded into this process by requiring the site's
 * wp-config.php (which requires wp-settings.php) with hooks set up beforehand through
 * $GLOBALS['wp_filter'] (tests_add_filter()). Once per run; CrisisDesk_TestCase isolates tests.
 *
 * Also starts the recorder (a stand-in for the CrisisDesk service) and removes everything at
 * shutdown. CRISISDESK_KEEP_SITE=1 keeps the site and its database for inspection (printed).
 */

require_once __DIR__ . '/lib/site.php';
require_once __DIR__ . '/lib/recorder.php';
require_once __DIR__ . '/lib/functions.php';

/*
 * PHPUnit includes this file from inside a method: make the variables WordPress expects to be
 * global really global (as WordPress's bootstrap does).
 */
global $wpdb, $current_site, $current_blog, $wp_rewrite, $shortcode_tags, $wp, $phpmailer, $wp_theme_directories, $wp_query, $wp_the_query, $wp_roles, $wp_locale, $wp_embed, $wp_widget_factory, $wp_filter, $wp_actions, $wp_current_filter, $pagenow, $post;

if ( ! is_file( CrisisDesk_Test_Site::plugin_source_dir() . '/crisisdesk-bridge.php' ) && ! getenv( 'CRISISDESK_TESTS_WITHOUT_PLUGIN' ) ) {
	fwrite( STDERR, "plugin-bridge/crisisdesk-bridge.php does not exist; set CRISISDESK_TESTS_WITHOUT_PLUGIN=1 to test the harness alone\n" );
	exit( 1 );
}

$crisisdesk_started = microtime( true );
try {
	$crisisdesk_site = CrisisDesk_Test_Site::create(
		array(
			'url'           => CRISISDESK_TEST_SITE_URL,
			'plugin'        => ! getenv( 'CRISISDESK_TESTS_WITHOUT_PLUGIN' ),
			'app_password'  => false,
			'debug_display' => true,
		)
	);
} catch ( CrisisDesk_Site_Exception $e ) {
	fwrite( STDERR, 'Cannot create the test site: ' . $e->getMessage() . "\n" );
	exit( 1 );
}

try {
	$crisisdesk_recorder = CrisisDesk_Test_Recorder::start();
} catch ( Throwable $e ) {
	CrisisDesk_Test_Site::drop( $crisisdesk_site['dir'] );
	fwrite( STDERR, 'Cannot start the recorder: ' . $e->getMessage() . "\n" );
	exit( 1 );
}

$GLOBALS['crisisdesk_test_site']     = $crisisdesk_site;
$GLOBALS['crisisdesk_test_recorder'] = $crisisdesk_recorder;

// Registered from a shutdown function so that it runs after WordPress's own shutdown work
// (do_action( 'shutdown' ) is registered while WordPress loads, later than this).
register_shutdown_function(
	static function () use ( $crisisdesk_site, $crisisdesk_recorder ) {
		register_shutdown_function( 'crisisdesk_tests_remove_site', $crisisdesk_site, $crisisdesk_recorder );
	}
);


/*
 * The request WordPress believes it is serving (tests_reset__SERVER()).
 */
crisisdesk_tests_reset_server();
$PHP_SELF            = '/index.php'; // phpcs:ignore WordPress.WP.GlobalVariablesOverride
$GLOBALS['PHP_SELF'] = '/index.php';

// PHP errors reach PHPUnit (which turns them into test errors), not a log file.
define( 'WP_DEBUG_LOG', false );

/*
 * Hooks needed before WordPress loads, the way tests_add_filter() sets them.
 */
foreach ( array( 'wp_die_handler', 'wp_die_ajax_handler', 'wp_die_json_handler', 'wp_die_jsonp_handler', 'wp_die_xmlrpc_handler', 'wp_die_xml_handler' ) as $crisisdesk_hook ) {
	crisisdesk_tests_add_filter( $crisisdesk_hook, 'crisisdesk_tests_wp_die_handler_filter', 10, 1 );
}
crisisdesk_tests_add_filter( 'pre_wp_mail', 'crisisdesk_tests_capture_mail', 10, 2 );

/*
 * Load WordPress, with the WooCommerce stand-in and the plugin as active plugins.
 */
require $crisisdesk_site['dir'] . '/wp-config.php';

if ( ! did_action( 'wp_loaded' ) ) {
	fwrite( STDERR, "WordPress did not finish loading\n" );
	exit( 1 );
}

// PHP 8.2 deprecation notices that WordPress 6.1's own bundled classes raise when first loaded
// (e.g. Requests_Cookie_Jar's return types) are not the plugin's doing: load those classes now,
// outside any test, with deprecations muted.
crisisdesk_tests_preload_core_classes();

CrisisDesk_Test_State::capture_baseline();

require_once __DIR__ . '/lib/class-crisisdesk-testcase.php';

if ( getenv( 'CRISISDESK_TESTS_VERBOSE' ) ) {
	fwrite( STDERR, sprintf( "Test site %s ready in %.2fs\n", $crisisdesk_site['dir'], microtime( true ) - $crisisdesk_started ) );
}
