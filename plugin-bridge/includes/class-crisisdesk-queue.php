<?php
/**
 * The durable outgoing queue: one row per event, kept until the service has it.
 *
 * @package CrisisDesk_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Rows go pending → delivered, or pending → failed (parked with its reason until an admin retries).
 *
 * The body and webhook-id are fixed when the event is queued, so every retry carries the same
 * webhook-id (the service's duplicate check) and the same snapshot; only the timestamp and
 * signature are renewed per attempt.
 */
final class CrisisDesk_Queue {

	const PENDING   = 'pending';
	const DELIVERED = 'delivered';
	const FAILED    = 'failed';

	/** Backoff starts at a minute and doubles up to six hours. */
	const FIRST_DELAY = 60;
	const MAX_DELAY   = 21600;

	/** Retry for four days (the service promises at least three), then park the event as failed. */
	const RETRY_WINDOW = 345600;

	/** Delivered rows are kept a fortnight for the status page, then pruned. */
	const KEEP_DELIVERED = 1209600;

	/**
	 * Queue one event.
	 *
	 * @param string      $type          One of the event types of SPEC section 6.
	 * @param string      $resource_type "order" or "review".
	 * @param int         $resource_id   The WooCommerce id.
	 * @param string|null $body          The JSON envelope, or null when the resource could not be read.
	 * @param string      $error         Why the body is missing; the row is then parked as failed at once.
	 * @return int The row id.
	 */
	public static function enqueue( $type, $resource_type, $resource_id, $body, $error = '' ) {
		global $wpdb;
		$now   = self::now();
		$table = CrisisDesk_Schema::events_table();
		// Events go out in the order they were created: while earlier ones wait for a retry, a new
		// one waits with them instead of overtaking them (as the runner holds the ones it skips).
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is ours.
		$waiting = $wpdb->get_var( $wpdb->prepare( "SELECT MAX(next_attempt_gmt) FROM {$table} WHERE status = %s", self::PENDING ) );
		$next    = ( null !== $body && $waiting && $waiting > $now ) ? $waiting : $now;
		$wpdb->insert(
			$table,
			array(
				'webhook_id'       => CrisisDesk_Signature::new_id(),
				'event_type'       => $type,
				'resource_type'    => $resource_type,
				'resource_id'      => $resource_id,
				'body'             => $body,
				'status'           => null === $body ? self::FAILED : self::PENDING,
				'last_error'       => null === $body ? $error : null,
				'next_attempt_gmt' => $next,
				'created_gmt'      => $now,
				'window_start_gmt' => $now,
			),
			array( '%s', '%s', '%s', '%d', '%s', '%s', '%s', '%s', '%s', '%s' )
		);
		return (int) $wpdb->insert_id;
	}

	/**
	 * Pending events that are due, oldest first (the order they were created in).
	 *
	 * @param int $limit At most this many.
	 * @return array<int,object>
	 */
	public static function due( $limit ) {
		global $wpdb;
		$table = CrisisDesk_Schema::events_table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is ours.
		return $wpdb->get_results( $wpdb->prepare( "SELECT * FROM {$table} WHERE status = %s AND next_attempt_gmt <= %s ORDER BY id ASC LIMIT %d", self::PENDING, self::now(), $limit ) );
	}

	/**
	 * One row by id.
	 *
	 * @param int $id Row id.
	 * @return object|null
	 */
	public static function find( $id ) {
		global $wpdb;
		$table = CrisisDesk_Schema::events_table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is ours.
		return $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$table} WHERE id = %d", $id ) );
	}

	/**
	 * The service has the event (202 new, or 200 already received).
	 *
	 * @param object $event       The row.
	 * @param int    $http_status The service's answer.
	 */
	public static function mark_delivered( $event, $http_status ) {
		self::update(
			$event,
			array(
				'status'           => self::DELIVERED,
				'attempts'         => $event->attempts + 1,
				'last_attempt_gmt' => self::now(),
				'last_http_status' => $http_status,
				'last_error'       => null,
				'delivered_gmt'    => self::now(),
			)
		);
	}

	/**
	 * A failure that a later attempt may cure: schedule the next one, or park the event once the
	 * retry window is over.
	 *
	 * @param object   $event       The row.
	 * @param string   $reason      What went wrong.
	 * @param int|null $http_status The service's answer, if there was one.
	 * @param int      $retry_after Seconds the service asked us to wait (Retry-After), or 0.
	 * @return string The new status.
	 */
	public static function mark_retry( $event, $reason, $http_status = null, $retry_after = 0 ) {
		$attempts = $event->attempts + 1;
		$window   = (int) apply_filters( 'crisisdesk_retry_window_seconds', self::RETRY_WINDOW );
		$age      = time() - strtotime( $event->window_start_gmt . ' UTC' );
		if ( $age >= $window ) {
			/* translators: 1: number of attempts, 2: number of days, 3: the last error. */
			$reason = sprintf( __( 'Gave up after %1$d attempts over %2$d days. Last error: %3$s', 'crisisdesk-bridge' ), $attempts, (int) round( $window / DAY_IN_SECONDS ), $reason );
			self::park( $event, $reason, $http_status, $attempts );
			return self::FAILED;
		}
		$delay = max( self::backoff( $attempts ), min( (int) $retry_after, self::MAX_DELAY ) );
		self::update(
			$event,
			array(
				'attempts'         => $attempts,
				'last_attempt_gmt' => self::now(),
				'last_http_status' => $http_status,
				'last_error'       => $reason,
				'next_attempt_gmt' => gmdate( 'Y-m-d H:i:s', time() + $delay ),
			)
		);
		return self::PENDING;
	}

	/**
	 * A failure no retry can cure (the service refused the event): park it with the reason.
	 *
	 * @param object   $event       The row.
	 * @param string   $reason      Why.
	 * @param int|null $http_status The service's answer.
	 * @param int|null $attempts    Attempts so far including this one, or null for one more than stored.
	 */
	public static function park( $event, $reason, $http_status = null, $attempts = null ) {
		self::update(
			$event,
			array(
				'status'           => self::FAILED,
				'attempts'         => null === $attempts ? $event->attempts + 1 : $attempts,
				'last_attempt_gmt' => self::now(),
				'last_http_status' => $http_status,
				'last_error'       => $reason,
			)
		);
	}

	/**
	 * Seconds to wait after the n-th failed attempt: 1, 2, 4 … minutes, at most six hours, with
	 * ±10% jitter so that many sites recovering together do not all knock at once. The jitter never
	 * takes a wait past the six-hour ceiling (there it only makes the wait shorter).
	 *
	 * @param int $attempts Failed attempts so far (1 or more).
	 * @return int
	 */
	public static function backoff( $attempts ) {
		$delay = min( self::MAX_DELAY, self::FIRST_DELAY * ( 2 ** min( 20, max( 0, (int) $attempts - 1 ) ) ) );
		$shake = (int) round( $delay / 10 );
		return wp_rand( $delay - $shake, min( self::MAX_DELAY, $delay + $shake ) );
	}

	/**
	 * Put every failed event back in line, due now (one without a body is read again when sent).
	 *
	 * @return int How many.
	 */
	public static function retry_failed() {
		global $wpdb;
		$table = CrisisDesk_Schema::events_table();
		// A retried event gets a fresh retry window; created_gmt keeps when it happened.
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is ours.
		return (int) $wpdb->query( $wpdb->prepare( "UPDATE {$table} SET status = %s, next_attempt_gmt = %s, window_start_gmt = %s WHERE status = %s", self::PENDING, self::now(), self::now(), self::FAILED ) );
	}

	/**
	 * Figures for the settings page.
	 *
	 * @return array{pending:int,failed:int,delivered:int,last_delivery:?string,next_attempt:?string,oldest_pending:?string}
	 */
	public static function stats() {
		global $wpdb;
		$table  = CrisisDesk_Schema::events_table();
		$counts = array(
			self::PENDING   => 0,
			self::FAILED    => 0,
			self::DELIVERED => 0,
		);
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is ours.
		foreach ( $wpdb->get_results( "SELECT status, COUNT(*) AS n FROM {$table} GROUP BY status" ) as $row ) {
			$counts[ $row->status ] = (int) $row->n;
		}
		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is ours.
		$pending = $wpdb->get_row( $wpdb->prepare( "SELECT MIN(next_attempt_gmt) AS next_attempt, MIN(created_gmt) AS oldest FROM {$table} WHERE status = %s", self::PENDING ) );
		$last    = $wpdb->get_var( "SELECT MAX(delivered_gmt) FROM {$table}" );
		// phpcs:enable
		return array(
			'pending'        => $counts[ self::PENDING ],
			'failed'         => $counts[ self::FAILED ],
			'delivered'      => $counts[ self::DELIVERED ],
			'last_delivery'  => $last ? $last : null,
			'next_attempt'   => $pending && $pending->next_attempt ? $pending->next_attempt : null,
			'oldest_pending' => $pending && $pending->oldest ? $pending->oldest : null,
		);
	}

	/**
	 * The most recent failed events, for the settings page.
	 *
	 * @param int $limit At most this many.
	 * @return array<int,object>
	 */
	public static function failed( $limit = 20 ) {
		global $wpdb;
		$table = CrisisDesk_Schema::events_table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is ours.
		return $wpdb->get_results( $wpdb->prepare( "SELECT id, event_type, resource_type, resource_id, attempts, last_http_status, last_error, created_gmt, last_attempt_gmt FROM {$table} WHERE status = %s ORDER BY id DESC LIMIT %d", self::FAILED, $limit ) );
	}

	/**
	 * When the next pending event is due, or null when none is waiting.
	 *
	 * @return int|null Unix seconds.
	 */
	public static function next_due() {
		global $wpdb;
		$table = CrisisDesk_Schema::events_table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is ours.
		$next = $wpdb->get_var( $wpdb->prepare( "SELECT MIN(next_attempt_gmt) FROM {$table} WHERE status = %s", self::PENDING ) );
		return $next ? strtotime( $next . ' UTC' ) : null;
	}

	/** Drop delivered rows older than the keep period; pending and failed rows are never pruned. */
	public static function prune_delivered() {
		global $wpdb;
		$table = CrisisDesk_Schema::events_table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is ours.
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE status = %s AND delivered_gmt < %s", self::DELIVERED, gmdate( 'Y-m-d H:i:s', time() - self::KEEP_DELIVERED ) ) );
	}

	/** @return string The current time as MySQL's GMT datetime. */
	public static function now() {
		return gmdate( 'Y-m-d H:i:s' );
	}

	/**
	 * Store the body built for an event that was queued without one.
	 *
	 * @param object $event The row.
	 * @param string $body  The JSON envelope.
	 */
	public static function set_body( $event, $body ) {
		$event->body = $body;
		self::update( $event, array( 'body' => $body ) );
	}

	/**
	 * Update one row.
	 *
	 * @param object $event  The row.
	 * @param array  $fields Columns to set.
	 */
	private static function update( $event, array $fields ) {
		global $wpdb;
		$wpdb->update( CrisisDesk_Schema::events_table(), $fields, array( 'id' => $event->id ) );
	}
}
