<?php
/**
 * When delivery runs: Action Scheduler (WooCommerce's) when it is there, WP-Cron otherwise; a run
 * after every queued change, the next one at the retry time after a failure, never a run in the
 * shopper's request, the hourly safety sweep from activation, and events that wait their turn.
 */

require_once __DIR__ . '/support/class-crisisdesk-events-testcase.php';

/**
 * Schedules.
 */
class SchedulingTest extends CrisisDesk_Events_TestCase {

	const HOOK   = 'crisisdesk_deliver_events';
	const SWEEP  = 'crisisdesk_sweep_queue';
	const PLUGIN = 'crisisdesk-bridge/crisisdesk-bridge.php';

	protected function setUp(): void {
		parent::setUp();
		$this->configure();
	}

	/**
	 * The dates of the pending delivery actions.
	 *
	 * @return int[]
	 */
	private function action_dates() {
		return array_map( 'intval', array_column( $this->pending_delivery_actions(), 'date' ) );
	}

	/**
	 * The timestamps of the WP-Cron delivery events.
	 *
	 * @return int[]
	 */
	private function cron_times() {
		return array_column( $this->scheduled_events( self::HOOK ), 'timestamp' );
	}

	public function test_a_queued_change_schedules_one_action_scheduler_run_in_the_crisisdesk_group() {
		$this->assertSame( array(), $this->pending_delivery_actions() );
		$this->queue_review_event();

		$actions = $this->pending_delivery_actions();
		$this->assertCount( 1, $actions );
		$this->assertSame( self::HOOK, $actions[0]['hook'] );
		$this->assertSame( 'crisisdesk', $actions[0]['group'] );
		$this->assertSame( array(), $actions[0]['args'] );
		$this->assertEqualsWithDelta( time(), $actions[0]['date'], 5 );
		$this->assertSame( array(), $this->scheduled_events( self::HOOK ), 'no WP-Cron event besides' );

		$this->queue_review_event();
		$this->create_order();
		$this->end_request();
		$this->assertCount( 1, $this->pending_delivery_actions(), 'one run serves every queued event' );
		$this->assertSame( array(), $this->recorded_requests(), 'scheduled, not run in the request' );
	}

	public function test_action_scheduler_delivers_the_queued_events() {
		$first  = $this->queue_review_event();
		$second = $this->queue_review_event();

		$ran = wc_standin_run_scheduled_actions();

		$this->assertSame( array( self::HOOK ), $ran );
		$requests = $this->event_requests();
		$this->assertCount( 2, $requests );
		$this->assert_signed_event( $requests[0], $first->body, $first->webhook_id );
		$this->assert_signed_event( $requests[1], $second->body, $second->webhook_id );
		$this->assertSame( array( 'delivered', 'delivered' ), array_column( $this->rows(), 'status' ) );
		$this->assertSame( array(), $this->pending_delivery_actions(), 'nothing left, nothing scheduled' );
	}

	public function test_wp_cron_schedules_and_delivers_when_action_scheduler_is_off() {
		wc_standin_set_action_scheduler( false );
		$row = $this->queue_review_event();
		$this->queue_review_event();

		$events = $this->scheduled_events( self::HOOK );
		$this->assertCount( 1, $events );
		$this->assertSame( array(), $events[0]['args'] );
		$this->assertFalse( $events[0]['schedule'], 'a single event' );
		$this->assertEqualsWithDelta( time(), $events[0]['timestamp'], 5 );
		$this->assertSame( array(), $this->recorded_requests() );

		$this->assertContains( self::HOOK, $this->run_cron() );

		$requests = $this->event_requests();
		$this->assertCount( 2, $requests );
		$this->assert_signed_event( $requests[0], $row->body, $row->webhook_id );
		$this->assertSame( array( 'delivered', 'delivered' ), array_column( $this->rows(), 'status' ) );
		$this->assertSame( array(), $this->scheduled_events( self::HOOK ) );
	}

	public function test_after_a_retryable_failure_action_scheduler_runs_again_at_the_retry_time() {
		$row = $this->queue_review_event();
		$this->script_responses( array( array( 'status' => 503 ) ) );

		wc_standin_run_scheduled_actions();

		$waiting = $this->row( $row->id );
		$this->assertSame( 'pending', $waiting->status );
		$this->assertSame( array( self::ts( $waiting->next_attempt_gmt ) ), $this->action_dates(), 'the next run is scheduled at the retry time' );
		$this->assertSame( array(), wc_standin_run_scheduled_actions(), 'not before' );

		$this->make_pending_due(); // The minute passes.
		$this->assertSame( array( self::HOOK ), wc_standin_run_scheduled_actions( self::ts( $waiting->next_attempt_gmt ) ) );
		$this->assertSame( 'delivered', $this->row( $row->id )->status );
		$this->assertSame( array( $row->webhook_id, $row->webhook_id ), array_column( array_column( $this->event_requests(), 'header' ), 'webhook-id' ) );
		$this->assertSame( array(), $this->pending_delivery_actions() );
	}

	public function test_after_a_retryable_failure_wp_cron_runs_again_at_the_retry_time() {
		wc_standin_set_action_scheduler( false );
		$row = $this->queue_review_event();
		$this->script_responses( array( array( 'status' => 500 ) ) );

		$this->run_cron( self::HOOK );

		$waiting = $this->row( $row->id );
		$this->assertSame( 'pending', $waiting->status );
		$this->assertSame( array( self::ts( $waiting->next_attempt_gmt ) ), $this->cron_times() );

		$this->make_pending_due();
		$this->run_cron( self::HOOK, self::ts( $waiting->next_attempt_gmt ) );
		$this->assertSame( 'delivered', $this->row( $row->id )->status );
		$this->assertSame( array(), $this->cron_times() );
	}

	public function test_an_event_queued_while_an_earlier_one_waits_for_its_retry_does_not_overtake_it() {
		$first = $this->queue_review_event();
		$this->script_responses( array( array( 'status' => 503 ) ) );
		$this->assertSame( array( self::HOOK ), wc_standin_run_scheduled_actions() );
		$retry_at = $this->row( $first->id )->next_attempt_gmt;
		$this->assertSame( array( self::ts( $retry_at ) ), $this->action_dates() );

		$second = $this->queue_review_event(); // A new review while the service is down.

		$this->assertSame( $retry_at, $this->row( $second->id )->next_attempt_gmt, 'it waits behind the first' );
		$this->assertSame( array( self::ts( $retry_at ) ), $this->action_dates(), 'the next run stays at the retry time' );
		$this->assertSame( array( 'delivered' => 0, 'failed' => 0, 'retrying' => 0 ), CrisisDesk_Runner::run() );
		$this->assertCount( 1, $this->event_requests() );

		$this->make_pending_due();
		$this->assertSame( array( 'delivered' => 2, 'failed' => 0, 'retrying' => 0 ), CrisisDesk_Runner::run() );
		$this->assertSame(
			array( $first->webhook_id, $first->webhook_id, $second->webhook_id ),
			array_column( array_column( $this->event_requests(), 'header' ), 'webhook-id' )
		);
	}

	public function test_a_change_queued_while_another_process_delivers_still_gets_a_run() {
		// Another PHP process is running a delivery action right now (Action Scheduler: in progress).
		$other = as_schedule_single_action( time() - 5, self::HOOK, array(), 'crisisdesk' );
		wc_standin_set_action_status( $other, 'in-progress' );
		$this->assertTrue( as_next_scheduled_action( self::HOOK, array(), 'crisisdesk' ) );

		$row = $this->queue_review_event();

		$dates = $this->action_dates();
		$this->assertCount( 1, $dates, 'a run is pending, in case the running one has already looked at the queue' );
		$this->assertEqualsWithDelta( time(), $dates[0], 5 );

		$this->queue_review_event();
		$this->assertCount( 1, $this->action_dates(), 'and only one' );

		wc_standin_set_action_status( $other, 'complete' );
		$this->assertSame( array( self::HOOK ), wc_standin_run_scheduled_actions() );
		$this->assertSame( 'delivered', $this->row( $row->id )->status );
	}

	public function test_schedule_keeps_an_earlier_run_and_brings_a_later_one_forward() {
		CrisisDesk_Runner::schedule( 600 );
		$this->assertEqualsWithDelta( time() + 600, $this->action_dates()[0], 2 );
		CrisisDesk_Runner::schedule( 3600 );
		$this->assertCount( 1, $this->action_dates() );
		$this->assertEqualsWithDelta( time() + 600, $this->action_dates()[0], 2, 'the earlier run is kept' );
		CrisisDesk_Runner::schedule( 0 );
		$this->assertCount( 1, $this->action_dates() );
		$this->assertEqualsWithDelta( time(), $this->action_dates()[0], 2, 'brought forward' );

		wc_standin_set_action_scheduler( false );
		CrisisDesk_Runner::schedule( 600 );
		CrisisDesk_Runner::schedule( 3600 );
		$this->assertCount( 1, $this->cron_times() );
		$this->assertEqualsWithDelta( time() + 600, $this->cron_times()[0], 2 );
		CrisisDesk_Runner::schedule( 0 );
		$this->assertCount( 1, $this->cron_times() );
		$this->assertEqualsWithDelta( time(), $this->cron_times()[0], 2 );
	}

	public function test_a_lost_sweep_is_put_back_on_the_next_request() {
		wp_clear_scheduled_hook( self::SWEEP );
		$this->assertSame( array(), $this->scheduled_events( self::SWEEP ) );

		// Every request's `init` runs it (running all of `init` again would re-register core's blocks).
		$callback = array( 'CrisisDesk_Runner', 'schedule_sweep' );
		$this->assertNotFalse( has_action( 'init', $callback ) );
		call_user_func( $callback );

		$sweeps = $this->scheduled_events( self::SWEEP );
		$this->assertCount( 1, $sweeps );
		$this->assertSame( 'hourly', $sweeps[0]['schedule'] );
		call_user_func( $callback );
		$this->assertCount( 1, $this->scheduled_events( self::SWEEP ), 'never a second sweep' );
	}

	public function test_activation_schedules_the_hourly_sweep_and_deactivation_removes_every_schedule() {
		$sweeps = $this->scheduled_events( self::SWEEP );
		$this->assertCount( 1, $sweeps, 'scheduled when the site activated the plugin' );
		$this->assertSame( 'hourly', $sweeps[0]['schedule'] );

		wp_clear_scheduled_hook( self::SWEEP );
		do_action( 'activate_' . self::PLUGIN, false );
		do_action( 'activate_' . self::PLUGIN, false ); // Activating again adds no second sweep.
		$sweeps = $this->scheduled_events( self::SWEEP );
		$this->assertCount( 1, $sweeps );
		$this->assertSame( 'hourly', $sweeps[0]['schedule'] );
		$this->assertSame( array(), $sweeps[0]['args'] );
		$this->assertEqualsWithDelta( time() + HOUR_IN_SECONDS, $sweeps[0]['timestamp'], 5 );

		$this->queue_review_event();
		wc_standin_set_action_scheduler( false );
		CrisisDesk_Runner::schedule( 60 );
		wc_standin_set_action_scheduler( true );
		$this->assertCount( 1, $this->pending_delivery_actions() );
		$this->assertCount( 1, $this->scheduled_events( self::HOOK ) );

		do_action( 'deactivate_' . self::PLUGIN, false );

		$this->assertSame( array(), $this->scheduled_events( self::SWEEP ) );
		$this->assertSame( array(), $this->scheduled_events( self::HOOK ) );
		$this->assertSame( array(), $this->pending_delivery_actions() );
		$this->assertSame( 'pending', $this->rows()[0]->status, 'the queue stays for a reactivation' );
	}

	public function test_the_hourly_sweep_delivers_what_a_lost_schedule_left_behind() {
		$row = $this->queue_review_event();
		as_unschedule_all_actions( self::HOOK, array(), 'crisisdesk' ); // Lost.
		$this->assertSame( array(), wc_standin_run_scheduled_actions() );
		$this->assertSame( array(), $this->recorded_requests() );

		// An hour later the sweep is due. (Moved into the past rather than running it at a future
		// $now: rescheduling an hourly event at now + 1 h could land on its own old time.)
		$sweep_at = $this->scheduled_events( self::SWEEP )[0]['timestamp'];
		wp_unschedule_event( $sweep_at, self::SWEEP );
		wp_schedule_event( time() - 60, 'hourly', self::SWEEP );
		$this->assertSame( array( self::SWEEP ), $this->run_cron( self::SWEEP ) );

		$this->assertSame( 'delivered', $this->row( $row->id )->status );
		$this->assert_signed_event( $this->event_requests()[0], $row->body, $row->webhook_id );
		$sweeps = $this->scheduled_events( self::SWEEP );
		$this->assertCount( 1, $sweeps, 'the sweep stays' );
		$this->assertSame( 'hourly', $sweeps[0]['schedule'] );
		$this->assertGreaterThan( time(), $sweeps[0]['timestamp'] );
	}

	public function test_a_run_without_settings_sends_nothing_and_schedules_no_further_run() {
		update_option( 'crisisdesk_secret', '' );
		$row = $this->queue_review_event();
		$this->assertSame( array( self::HOOK ), wc_standin_run_scheduled_actions() );
		$this->assertSame( array(), $this->recorded_requests() );
		$this->assertSame( 'pending', $this->row( $row->id )->status );
		$this->assertSame( array(), $this->pending_delivery_actions(), 'no run scheduled over and over meanwhile' );
	}
}
