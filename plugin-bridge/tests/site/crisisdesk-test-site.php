<?php
/**
 * Plugin Name: CrisisDesk test site
 * Description: Must-use plugin of the bridge's throw-away test sites (plugin-bridge/tests/lib/site.php): WordPress does not call wordpress.org from here (update checks, HTTPS detection), so that running cron in a test only runs what the test is about and nothing tries to leave the machine.
 */

defined( 'ABSPATH' ) || exit;

foreach (
	array(
		array( 'init', 'wp_schedule_update_checks' ),
		array( 'init', 'wp_schedule_https_detection' ),
		array( 'admin_init', '_maybe_update_core' ),
		array( 'admin_init', '_maybe_update_plugins' ),
		array( 'admin_init', '_maybe_update_themes' ),
		array( 'wp_version_check', 'wp_version_check' ),
		array( 'wp_update_plugins', 'wp_update_plugins' ),
		array( 'wp_update_themes', 'wp_update_themes' ),
		array( 'wp_maybe_auto_update', 'wp_maybe_auto_update' ),
		array( 'wp_https_detection', 'wp_update_https_detection_errors' ),
	) as $crisisdesk_test_site_hook
) {
	remove_action( $crisisdesk_test_site_hook[0], $crisisdesk_test_site_hook[1] );
}
unset( $crisisdesk_test_site_hook );
