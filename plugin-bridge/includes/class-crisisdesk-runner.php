<?php
/**
 * The background runner that delivers queued events.
 *
 * @package CrisisDesk_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Runs in Action Scheduler when WooCommerce provides it, in WP-Cron otherwise, never in a
 * shopper's request. One runner at a time (a MySQL named lock). Events go out in the order they
 * were created: when the service cannot take one (timeout, 5xx, 408, 429), the events behind it
 * wait for the same retry time instead of overtaking it. An hourly WP-Cron sweep restarts delivery
 * if a scheduled run was ever lost.
 */
final class CrisisDesk_Runner {

	const HOOK       = 'crisisdesk_deliver_events';
	const SWEEP_HOOK = 'crisisdesk_sweep_queue';
	const GROUP      = 'crisisdesk';

	/** Rows read per query, and how long one run may keep sending (then it schedules the next). */
	const BATCH       = 25;
	const TIME_BUDGET = 20;

	/**
	 * True while run() schedules its successor (under Action Scheduler the action running run()
	 * is then "in progress", which as_next_scheduled_action() reports as true).
	 *
	 * @var bool
	 */
	private static $running = false;

	/** Wire the hooks the schedulers call. */
	public static function register() {
		add_action( self::HOOK, array( __CLASS__, 'run' ) );
		add_action( self::SWEEP_HOOK, array( __CLASS__, 'run' ) );
		// The sweep is the safety net; if WP-Cron ever loses its entry, put it back (a cheap option read).
		add_action( 'init', array( __CLASS__, 'schedule_sweep' ) );
	}

	/**
	 * Make sure a run happens within $delay seconds (an earlier one already scheduled is kept).
	 *
	 * @param int $delay Seconds from now.
	 */
	public static function schedule( $delay = 0 ) {
		$when = time() + max( 0, (int) $delay );
		if ( self::uses_action_scheduler() ) {
			$next = as_next_scheduled_action( self::HOOK, array(), self::GROUP );
			if ( true === $next ) {
				// A run is in progress. When it is this process's own run scheduling its successor,
				// the pending actions are unknown (hidden behind the running one): replace them.
				// Another process's run schedules its own successor when it ends; only make sure
				// that something is pending in case it has already looked.
				if ( ! self::$running && self::has_pending_action() ) {
					return;
				}
				$next = false;
			}
			if ( false === $next || $next > $when ) {
				as_unschedule_all_actions( self::HOOK, array(), self::GROUP );
				as_schedule_single_action( $when, self::HOOK, array(), self::GROUP );
			}
			return;
		}
		$next = wp_next_scheduled( self::HOOK );
		if ( false === $next || $next > $when ) {
			if ( $next ) {
				wp_unschedule_event( $next, self::HOOK );
			}
			wp_schedule_single_event( $when, self::HOOK );
		}
	}

	/** The hourly safety net, started on activation. */
	public static function schedule_sweep() {
		if ( ! wp_next_scheduled( self::SWEEP_HOOK ) ) {
			wp_schedule_event( time() + HOUR_IN_SECONDS, 'hourly', self::SWEEP_HOOK );
		}
	}

	/** Remove every schedule of ours (deactivation, uninstall). */
	public static function unschedule_all() {
		wp_clear_scheduled_hook( self::HOOK );
		wp_clear_scheduled_hook( self::SWEEP_HOOK );
		if ( function_exists( 'as_unschedule_all_actions' ) ) {
			as_unschedule_all_actions( self::HOOK, array(), self::GROUP );
		}
	}

	/**
	 * Deliver what is due, within the time budget, then schedule the next run.
	 *
	 * @return array{delivered:int,failed:int,retrying:int} What this run did.
	 */
	public static function run() {
		$done = array(
			'delivered' => 0,
			'failed'    => 0,
			'retrying'  => 0,
		);
		$client = CrisisDesk_Service_Client::from_config();
		if ( is_wp_error( $client ) ) {
			return $done; // Events wait in the queue; saving the settings schedules a run.
		}
		if ( ! self::lock() ) {
			return $done; // Another runner is delivering.
		}
		try {
			$deadline = microtime( true ) + self::TIME_BUDGET;
			do {
				$batch   = CrisisDesk_Queue::due( self::BATCH );
				$blocked = false;
				foreach ( $batch as $event ) {
					$outcome = self::deliver( $client, $event );
					++$done[ $outcome ];
					if ( 'retrying' === $outcome ) {
						$blocked = true;
						break;
					}
					if ( microtime( true ) >= $deadline ) {
						break;
					}
				}
			} while ( $batch && ! $blocked && microtime( true ) < $deadline );
			CrisisDesk_Queue::prune_delivered();
		} finally {
			self::unlock();
		}
		// Scheduled after the unlock, so that a successor starting at once finds the lock free.
		$next = CrisisDesk_Queue::next_due();
		if ( null !== $next ) {
			self::$running = true;
			try {
				self::schedule( $next - time() );
			} finally {
				self::$running = false;
			}
		}
		return $done;
	}

	/**
	 * Send one event and record the outcome.
	 *
	 * @param CrisisDesk_Service_Client $client The client.
	 * @param object                    $event  The queue row.
	 * @return string "delivered", "failed" or "retrying".
	 */
	private static function deliver( $client, $event ) {
		if ( null === $event->body ) {
			// Queued (or retried) after the resource could not be read: read it again now. A read
			// that throws parks this event instead of stopping every run at it.
			try {
				$body = CrisisDesk_Event_Hooks::build_body( $event->event_type, $event->resource_type, $event->resource_id, $event->created_gmt );
			} catch ( Throwable $error ) {
				/* translators: 1: "order" or "review", 2: its id, 3: the error. */
				$body = new WP_Error( 'crisisdesk_resource_unreadable', sprintf( __( 'Could not read %1$s %2$d: %3$s', 'crisisdesk-bridge' ), $event->resource_type, $event->resource_id, $error->getMessage() ) );
			}
			if ( is_wp_error( $body ) ) {
				CrisisDesk_Queue::park( $event, $body->get_error_message() );
				return 'failed';
			}
			CrisisDesk_Queue::set_body( $event, $body );
		}
		try {
			$answer = $client->send_event( $event->webhook_id, $event->body );
		} catch ( Throwable $error ) {
			// An HTTP filter or transport that throws is no answer either: retry, keep the run going.
			/* translators: %s: the error. */
			$answer = new WP_Error( 'crisisdesk_unreachable', sprintf( __( 'CrisisDesk could not be reached: %s', 'crisisdesk-bridge' ), $error->getMessage() ) );
		}
		if ( is_wp_error( $answer ) ) {
			return self::retry( $event, $answer->get_error_message() );
		}
		$status = $answer['status'];
		if ( $status >= 200 && $status < 300 ) {
			CrisisDesk_Queue::mark_delivered( $event, $status );
			return 'delivered';
		}
		if ( 408 === $status || 429 === $status || $status >= 500 ) {
			return self::retry( $event, $answer['error'], $status, $answer['retry_after'] );
		}
		// Any other answer (400, 401, 404, 413, a redirect) will not change by itself: park it.
		CrisisDesk_Queue::park( $event, $answer['error'], $status );
		return 'failed';
	}

	/**
	 * Schedule a retry and hold the events behind it, so nothing overtakes it.
	 *
	 * @param object   $event       The row.
	 * @param string   $reason      Why.
	 * @param int|null $status      HTTP status, if any.
	 * @param int      $retry_after Seconds the service asked for.
	 * @return string "retrying", or "failed" when the retry window was over and the event is parked.
	 */
	private static function retry( $event, $reason, $status = null, $retry_after = 0 ) {
		global $wpdb;
		if ( CrisisDesk_Queue::FAILED === CrisisDesk_Queue::mark_retry( $event, $reason, $status, $retry_after ) ) {
			return 'failed';
		}
		$retried = CrisisDesk_Queue::find( $event->id );
		$table   = CrisisDesk_Schema::events_table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is ours.
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET next_attempt_gmt = %s WHERE status = %s AND id > %d AND next_attempt_gmt < %s", $retried->next_attempt_gmt, CrisisDesk_Queue::PENDING, $event->id, $retried->next_attempt_gmt ) );
		return 'retrying';
	}

	/** @return bool True when a delivery action waits in Action Scheduler (not counting running ones). */
	private static function has_pending_action() {
		$pending = as_get_scheduled_actions(
			array(
				'hook'     => self::HOOK,
				'args'     => array(),
				'group'    => self::GROUP,
				'status'   => 'pending',
				'per_page' => 1,
			),
			'ids'
		);
		return ! empty( $pending );
	}

	/** @return bool True when Action Scheduler is loaded and ready. */
	private static function uses_action_scheduler() {
		return function_exists( 'as_schedule_single_action' )
			&& function_exists( 'as_next_scheduled_action' )
			&& ( ! class_exists( 'ActionScheduler' ) || ! method_exists( 'ActionScheduler', 'is_initialized' ) || ActionScheduler::is_initialized() );
	}

	/** @return bool True when this process holds the runner lock. */
	private static function lock() {
		global $wpdb;
		return '1' === (string) $wpdb->get_var( $wpdb->prepare( 'SELECT GET_LOCK(%s, 0)', self::lock_name() ) );
	}

	/** Release the runner lock. */
	private static function unlock() {
		global $wpdb;
		$wpdb->get_var( $wpdb->prepare( 'SELECT RELEASE_LOCK(%s)', self::lock_name() ) );
	}

	/** @return string One lock per site (database and table prefix). */
	private static function lock_name() {
		global $wpdb;
		return 'crisisdesk_runner_' . md5( DB_NAME . $wpdb->prefix );
	}
}
