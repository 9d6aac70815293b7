<?php
/**
 * The plugin's two tables, their upgrades, and what activation and deactivation do.
 *
 * @package CrisisDesk_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * `{prefix}crisisdesk_events` is the durable outgoing queue; `{prefix}crisisdesk_replies` remembers
 * which signed reply request (webhook-id) made which comment, so a repeated request never posts twice.
 */
final class CrisisDesk_Schema {

	const DB_VERSION        = '1';
	const DB_VERSION_OPTION = 'crisisdesk_db_version';

	/** @return string */
	public static function events_table() {
		global $wpdb;
		return $wpdb->prefix . 'crisisdesk_events';
	}

	/** @return string */
	public static function replies_table() {
		global $wpdb;
		return $wpdb->prefix . 'crisisdesk_replies';
	}

	/** Create or upgrade the tables (dbDelta is idempotent), and start the safety-net schedule. */
	public static function activate() {
		self::install();
		CrisisDesk_Runner::schedule_sweep();
	}

	/** Stop the schedules; the queue stays, so reactivating resumes delivery where it stopped. */
	public static function deactivate() {
		CrisisDesk_Runner::unschedule_all();
	}

	/** Run dbDelta when the stored schema version is older than this code's. */
	public static function maybe_upgrade() {
		if ( get_option( self::DB_VERSION_OPTION ) !== self::DB_VERSION ) {
			self::install();
		}
	}

	/** Create the tables. */
	public static function install() {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$charset = $wpdb->get_charset_collate();
		$events  = self::events_table();
		$replies = self::replies_table();

		// dbDelta's format: two spaces after PRIMARY KEY, one field per line, KEY not INDEX.
		dbDelta(
			"CREATE TABLE {$events} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  webhook_id varchar(64) NOT NULL,
  event_type varchar(40) NOT NULL,
  resource_type varchar(20) NOT NULL,
  resource_id bigint(20) unsigned NOT NULL,
  body longtext NULL,
  status varchar(20) NOT NULL DEFAULT 'pending',
  attempts int(10) unsigned NOT NULL DEFAULT 0,
  next_attempt_gmt datetime NOT NULL,
  last_attempt_gmt datetime NULL,
  last_http_status smallint(5) unsigned NULL,
  last_error text NULL,
  created_gmt datetime NOT NULL,
  window_start_gmt datetime NOT NULL,
  delivered_gmt datetime NULL,
  PRIMARY KEY  (id),
  UNIQUE KEY webhook_id (webhook_id),
  KEY status_next (status,next_attempt_gmt,id),
  KEY delivered_gmt (delivered_gmt)
) {$charset};
CREATE TABLE {$replies} (
  webhook_id varchar(64) NOT NULL,
  review_id bigint(20) unsigned NOT NULL,
  comment_id bigint(20) unsigned NULL,
  created_gmt datetime NOT NULL,
  PRIMARY KEY  (webhook_id),
  KEY review_id (review_id)
) {$charset};"
		);
		update_option( self::DB_VERSION_OPTION, self::DB_VERSION, false );
	}
}
