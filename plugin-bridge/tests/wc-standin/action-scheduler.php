<?php
/**
 * WooCommerce stand-in (tests only): Action Scheduler, which WooCommerce bundles
 * (packages/action-scheduler, 3.6 in WooCommerce 7.9), reduced to its public API
 * (action-scheduler/functions.php) with the same return values and matching rules:
 *
 * - as_enqueue_async_action(), as_schedule_single_action(), as_schedule_recurring_action()
 *   return the new action's ID (0 before Action Scheduler is initialized on init priority 1);
 * - as_next_scheduled_action() returns true while a matching action runs or for a pending async
 *   action, the next pending timestamp, or false; $args null matches any arguments, an array
 *   only exactly those;
 * - as_unschedule_action() cancels the first pending match and returns its ID;
 *   as_unschedule_all_actions() cancels every pending match (with empty $args and a group,
 *   only actions whose args are empty, as in Action Scheduler);
 * - as_has_scheduled_action(), as_get_scheduled_actions() (ids or ARRAY_A).
 *
 * Actions live in the wc_standin_actions option instead of Action Scheduler's tables. They run
 * from WP-Cron's action_scheduler_run_queue hook (every minute, as Action Scheduler's queue
 * runner) or in a test through wc_standin_run_scheduled_actions(). A test can switch the whole
 * scheduler off (ActionScheduler::is_initialized() false) with wc_standin_set_action_scheduler().
 */

defined( 'ABSPATH' ) || exit;

/**
 * The parts of Action Scheduler's main class that plugins look at.
 */
class ActionScheduler {

	/**
	 * Initialized (init priority 1 has run and no test switched it off).
	 *
	 * @var bool
	 */
	private static $initialized = false;

	/**
	 * Switched off by a test.
	 *
	 * @var bool
	 */
	private static $disabled = false;

	/**
	 * Whether the data store is ready (is_initialized()).
	 *
	 * @param string|null $function_name Calling API function (Action Scheduler reports early calls).
	 * @return bool
	 */
	public static function is_initialized( $function_name = null ) {
		if ( ! self::$initialized && $function_name ) {
			_doing_it_wrong( esc_html( $function_name ), 'was called before the Action Scheduler data store was initialized', '3.1.6' );
		}
		return self::$initialized && ! self::$disabled;
	}

	/**
	 * Marks it initialized (init priority 1).
	 */
	public static function init_store() {
		self::$initialized = true;
		do_action( 'action_scheduler_init' );
	}

	/**
	 * Test switch.
	 *
	 * @param bool $enabled On or off.
	 */
	public static function standin_set_enabled( $enabled ) {
		self::$disabled = ! $enabled;
	}
}

add_action( 'init', array( 'ActionScheduler', 'init_store' ), 1 );

add_filter(
	'cron_schedules',
	static function ( $schedules ) {
		$schedules['every_minute'] = array(
			'interval' => 60,
			'display'  => 'Every minute',
		);
		return $schedules;
	}
);

add_action(
	'init',
	static function () {
		if ( ! wp_installing() && ! wp_next_scheduled( 'action_scheduler_run_queue', array( 'WP Cron' ) ) ) {
			wp_schedule_event( time(), 'every_minute', 'action_scheduler_run_queue', array( 'WP Cron' ) );
		}
	}
);

add_action(
	'action_scheduler_run_queue',
	static function () {
		wc_standin_run_scheduled_actions();
	}
);

/**
 * All stored actions, keyed by ID.
 *
 * @return array<int,array>
 */
function wc_standin_actions() {
	$actions = get_option( 'wc_standin_actions', array() );
	return is_array( $actions ) ? $actions : array();
}

/**
 * Stores the actions.
 *
 * @param array $actions Actions.
 */
function wc_standin_save_actions( array $actions ) {
	update_option( 'wc_standin_actions', $actions, false );
}

/**
 * Adds an action.
 *
 * @param string   $hook     Hook.
 * @param array    $args     Arguments.
 * @param int|null $date     Timestamp, null for async.
 * @param string   $group    Group.
 * @param int      $interval Recurrence in seconds, 0 for none.
 * @param bool     $unique   Only if no pending or running action has the hook (and group).
 * @param int      $priority Priority (lower first).
 * @return int ID, 0 when $unique found one.
 */
function wc_standin_add_action( $hook, $args, $date, $group, $interval, $unique, $priority ) {
	$actions = wc_standin_actions();
	if ( $unique ) {
		foreach ( $actions as $action ) {
			if ( $action['hook'] === $hook && ( '' === $group || $action['group'] === $group ) && in_array( $action['status'], array( 'pending', 'in-progress' ), true ) ) {
				return 0;
			}
		}
	}
	$id             = wc_standin_next_id( 'action' );
	$actions[ $id ] = array(
		'id'       => $id,
		'hook'     => (string) $hook,
		'args'     => (array) $args,
		'group'    => (string) $group,
		'date'     => null === $date ? null : (int) $date,
		'interval' => (int) $interval,
		'priority' => (int) $priority,
		'status'   => 'pending',
	);
	wc_standin_save_actions( $actions );
	do_action( 'action_scheduler_stored_action', $id );
	return $id;
}

/**
 * Actions matching Action Scheduler's query rules, soonest first.
 *
 * @param string     $hook   Hook ('' for any).
 * @param array|null $args   Exact arguments, or null for any.
 * @param string     $group  Group ('' for any).
 * @param string     $status Status ('' for any).
 * @return array[]
 */
function wc_standin_find_actions( $hook, $args, $group, $status ) {
	$found = array();
	foreach ( wc_standin_actions() as $action ) {
		if ( ( '' !== $hook && $action['hook'] !== $hook )
			|| ( is_array( $args ) && $action['args'] !== $args )
			|| ( '' !== $group && $action['group'] !== $group )
			|| ( '' !== $status && $action['status'] !== $status ) ) {
			continue;
		}
		$found[] = $action;
	}
	usort(
		$found,
		static function ( $a, $b ) {
			return array( (int) $a['date'], $a['priority'], $a['id'] ) <=> array( (int) $b['date'], $b['priority'], $b['id'] );
		}
	);
	return $found;
}

/**
 * Sets an action's status.
 *
 * @param int    $id     Action.
 * @param string $status Status.
 */
function wc_standin_set_action_status( $id, $status ) {
	$actions = wc_standin_actions();
	if ( isset( $actions[ $id ] ) ) {
		$actions[ $id ]['status'] = $status;
		wc_standin_save_actions( $actions );
	}
}

if ( ! function_exists( 'as_enqueue_async_action' ) ) {
	/**
	 * Enqueue an action to run as soon as possible.
	 *
	 * @param string $hook     Hook.
	 * @param array  $args     Arguments.
	 * @param string $group    Group.
	 * @param bool   $unique   Unique.
	 * @param int    $priority Priority.
	 * @return int
	 */
	function as_enqueue_async_action( $hook, $args = array(), $group = '', $unique = false, $priority = 10 ) {
		if ( ! ActionScheduler::is_initialized( __FUNCTION__ ) ) {
			return 0;
		}
		return wc_standin_add_action( $hook, $args, null, $group, 0, $unique, $priority );
	}
}

if ( ! function_exists( 'as_schedule_single_action' ) ) {
	/**
	 * Schedule an action to run once.
	 *
	 * @param int    $timestamp When.
	 * @param string $hook      Hook.
	 * @param array  $args      Arguments.
	 * @param string $group     Group.
	 * @param bool   $unique    Unique.
	 * @param int    $priority  Priority.
	 * @return int
	 */
	function as_schedule_single_action( $timestamp, $hook, $args = array(), $group = '', $unique = false, $priority = 10 ) {
		if ( ! ActionScheduler::is_initialized( __FUNCTION__ ) ) {
			return 0;
		}
		return wc_standin_add_action( $hook, $args, (int) $timestamp, $group, 0, $unique, $priority );
	}
}

if ( ! function_exists( 'as_schedule_recurring_action' ) ) {
	/**
	 * Schedule a recurring action.
	 *
	 * @param int    $timestamp           First run.
	 * @param int    $interval_in_seconds Interval.
	 * @param string $hook                Hook.
	 * @param array  $args                Arguments.
	 * @param string $group               Group.
	 * @param bool   $unique              Unique.
	 * @param int    $priority            Priority.
	 * @return int
	 */
	function as_schedule_recurring_action( $timestamp, $interval_in_seconds, $hook, $args = array(), $group = '', $unique = false, $priority = 10 ) {
		if ( ! ActionScheduler::is_initialized( __FUNCTION__ ) ) {
			return 0;
		}
		return wc_standin_add_action( $hook, $args, (int) $timestamp, $group, max( 1, (int) $interval_in_seconds ), $unique, $priority );
	}
}

if ( ! function_exists( 'as_unschedule_action' ) ) {
	/**
	 * Cancel the next pending matching action.
	 *
	 * @param string $hook  Hook.
	 * @param array  $args  Arguments.
	 * @param string $group Group.
	 * @return int|null The cancelled action's ID.
	 */
	function as_unschedule_action( $hook, $args = array(), $group = '' ) {
		if ( ! ActionScheduler::is_initialized( __FUNCTION__ ) ) {
			return 0;
		}
		$found = wc_standin_find_actions( $hook, is_array( $args ) ? $args : null, $group, 'pending' );
		if ( ! $found ) {
			return null;
		}
		wc_standin_set_action_status( $found[0]['id'], 'canceled' );
		do_action( 'action_scheduler_canceled_action', $found[0]['id'] );
		return $found[0]['id'];
	}
}

if ( ! function_exists( 'as_unschedule_all_actions' ) ) {
	/**
	 * Cancel all pending matching actions.
	 *
	 * @param string $hook  Hook.
	 * @param array  $args  Arguments.
	 * @param string $group Group.
	 */
	function as_unschedule_all_actions( $hook, $args = array(), $group = '' ) {
		if ( ! ActionScheduler::is_initialized( __FUNCTION__ ) ) {
			return;
		}
		if ( empty( $args ) && ( ( '' !== (string) $hook && '' === (string) $group ) || ( '' === (string) $hook && '' !== (string) $group ) ) ) {
			// cancel_actions_by_hook() / cancel_actions_by_group(): any arguments.
			foreach ( wc_standin_find_actions( (string) $hook, null, (string) $group, 'pending' ) as $action ) {
				wc_standin_set_action_status( $action['id'], 'canceled' );
				do_action( 'action_scheduler_canceled_action', $action['id'] );
			}
			return;
		}
		do {
			$unscheduled = as_unschedule_action( $hook, $args, $group );
		} while ( ! empty( $unscheduled ) );
	}
}

if ( ! function_exists( 'as_next_scheduled_action' ) ) {
	/**
	 * The next run of a matching action: true while one runs (or for a pending async one), its
	 * timestamp, or false.
	 *
	 * @param string     $hook  Hook.
	 * @param array|null $args  Arguments (null: any).
	 * @param string     $group Group.
	 * @return int|bool
	 */
	function as_next_scheduled_action( $hook, $args = null, $group = '' ) {
		if ( ! ActionScheduler::is_initialized( __FUNCTION__ ) ) {
			return false;
		}
		if ( wc_standin_find_actions( $hook, $args, $group, 'in-progress' ) ) {
			return true;
		}
		$pending = wc_standin_find_actions( $hook, $args, $group, 'pending' );
		if ( ! $pending ) {
			return false;
		}
		return null === $pending[0]['date'] ? true : (int) $pending[0]['date'];
	}
}

if ( ! function_exists( 'as_has_scheduled_action' ) ) {
	/**
	 * Whether a matching action is pending or running.
	 *
	 * @param string     $hook  Hook.
	 * @param array|null $args  Arguments (null: any).
	 * @param string     $group Group.
	 * @return bool
	 */
	function as_has_scheduled_action( $hook, $args = null, $group = '' ) {
		if ( ! ActionScheduler::is_initialized( __FUNCTION__ ) ) {
			return false;
		}
		return (bool) ( wc_standin_find_actions( $hook, $args, $group, 'in-progress' ) || wc_standin_find_actions( $hook, $args, $group, 'pending' ) );
	}
}

if ( ! function_exists( 'as_get_scheduled_actions' ) ) {
	/**
	 * Matching actions (hook, args, group, status; per_page). 'ids' returns IDs, ARRAY_A arrays.
	 *
	 * @param array  $args          Query.
	 * @param string $return_format ids, ARRAY_A or OBJECT (arrays here too).
	 * @return array
	 */
	function as_get_scheduled_actions( $args = array(), $return_format = OBJECT ) {
		if ( ! ActionScheduler::is_initialized( __FUNCTION__ ) ) {
			return array();
		}
		$args  = wp_parse_args(
			$args,
			array(
				'hook'     => '',
				'args'     => null,
				'group'    => '',
				'status'   => '',
				'per_page' => 5,
			)
		);
		$found = wc_standin_find_actions( $args['hook'], $args['args'], $args['group'], $args['status'] );
		if ( $args['per_page'] > 0 ) {
			$found = array_slice( $found, 0, (int) $args['per_page'] );
		}
		return 'ids' === $return_format ? array_column( $found, 'id' ) : array_column( $found, null, 'id' );
	}
}

/**
 * TEST HELPER: runs the pending actions due at $now (default now) the way Action Scheduler's
 * queue runner does: each is marked in-progress (as_next_scheduled_action() answers true
 * meanwhile), its hook fires with do_action_ref_array( $hook, array_values( $args ) ), then it
 * is complete (failed if it threw; the exception is rethrown after the batch); a recurring
 * action gets its next occurrence.
 *
 * @param int|null    $now  Time.
 * @param string|null $hook Only this hook.
 * @return string[] Hooks run, in order.
 * @throws Throwable The first exception an action threw.
 */
function wc_standin_run_scheduled_actions( $now = null, $hook = null ) {
	$now   = null === $now ? time() : (int) $now;
	$ran   = array();
	$error = null;
	foreach ( wc_standin_find_actions( (string) $hook, null, '', 'pending' ) as $action ) {
		if ( null !== $action['date'] && $action['date'] > $now ) {
			continue;
		}
		$current = wc_standin_actions();
		if ( ! isset( $current[ $action['id'] ] ) || 'pending' !== $current[ $action['id'] ]['status'] ) {
			continue; // Cancelled by an earlier action of this batch.
		}
		wc_standin_set_action_status( $action['id'], 'in-progress' );
		do_action( 'action_scheduler_begin_execute', $action['id'], 'WP Cron' );
		try {
			do_action_ref_array( $action['hook'], array_values( $action['args'] ) );
			wc_standin_set_action_status( $action['id'], 'complete' );
			do_action( 'action_scheduler_after_execute', $action['id'], null, 'WP Cron' );
		} catch ( Throwable $e ) {
			wc_standin_set_action_status( $action['id'], 'failed' );
			do_action( 'action_scheduler_failed_execution', $action['id'], $e, 'WP Cron' );
			$error = $error ? $error : $e;
		}
		if ( $action['interval'] ) {
			wc_standin_add_action( $action['hook'], $action['args'], max( $now, (int) $action['date'] ) + $action['interval'], $action['group'], $action['interval'], false, $action['priority'] );
		}
		$ran[] = $action['hook'];
	}
	if ( $error ) {
		throw $error;
	}
	return $ran;
}

/**
 * TEST HELPER: switches Action Scheduler off (ActionScheduler::is_initialized() false, the as_*
 * functions do nothing) or back on, e.g. to test a plugin's WP-Cron fallback. Per test.
 *
 * @param bool $enabled On or off.
 */
function wc_standin_set_action_scheduler( $enabled ) {
	ActionScheduler::standin_set_enabled( (bool) $enabled );
}
