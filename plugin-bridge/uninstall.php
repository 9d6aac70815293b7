<?php
/**
 * Removes everything the plugin stored: its two tables, its options and transients, its schedules.
 * Constants in wp-config.php are the site owner's to remove.
 *
 * @package CrisisDesk_Bridge
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

/**
 * Clean one site.
 */
function crisisdesk_bridge_uninstall_site() {
	global $wpdb;
	$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}crisisdesk_events" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery.SchemaChange
	$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}crisisdesk_replies" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery.SchemaChange
	$wpdb->query(
		$wpdb->prepare(
			"DELETE FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s OR option_name LIKE %s",
			$wpdb->esc_like( 'crisisdesk_' ) . '%',
			$wpdb->esc_like( '_transient_crisisdesk_' ) . '%',
			$wpdb->esc_like( '_transient_timeout_crisisdesk_' ) . '%'
		)
	);
	$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->commentmeta} WHERE meta_key = %s", '_crisisdesk_webhook_id' ) );
	wp_clear_scheduled_hook( 'crisisdesk_deliver_events' );
	wp_clear_scheduled_hook( 'crisisdesk_sweep_queue' );
	if ( function_exists( 'as_unschedule_all_actions' ) ) {
		// Every delivery run of ours, whatever its arguments or group.
		as_unschedule_all_actions( 'crisisdesk_deliver_events' );
	}
	wp_cache_flush();
}

if ( is_multisite() ) {
	// 'number' => 0: every site (get_sites() returns the first 100 otherwise).
	foreach ( get_sites(
		array(
			'fields' => 'ids',
			'number' => 0,
		)
	) as $crisisdesk_site_id ) {
		switch_to_blog( $crisisdesk_site_id );
		crisisdesk_bridge_uninstall_site();
		restore_current_blog();
	}
} else {
	crisisdesk_bridge_uninstall_site();
}
