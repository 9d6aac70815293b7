<?php
/**
 * The dashboard widget: registered through wp_dashboard_setup for the people who run the shop,
 * reading GET /api/v1/shops/<id>/summary (signed, empty body) from the recorder, cached briefly,
 * failures included.
 */

require_once __DIR__ . '/support/trait-crisisdesk-inbound-helpers.php';

/**
 * Dashboard widget.
 */
class WidgetTest extends CrisisDesk_TestCase {

	use CrisisDesk_Inbound_Helpers;

	/**
	 * The service's summary.
	 *
	 * @param array $change Fields to change.
	 * @return array A scripted response.
	 */
	private static function summary_answer( array $change = array() ) {
		return array(
			'status' => 200,
			'body'   => array_merge(
				array(
					'open_cases'          => 3,
					'overdue_cases'       => 1,
					'negative_reviews_7d' => 5,
					'alerts'              => array( 'Spike of negative reviews for Kettle' ),
					'panel_url'           => 'https://panel.example/cases?shop=1',
				),
				$change
			),
		);
	}

	/**
	 * The widget as wp-admin/index.php prints it.
	 *
	 * @return string
	 */
	private function render() {
		ob_start();
		try {
			CrisisDesk_Widget::render();
		} finally {
			$html = ob_get_clean();
		}
		return $html;
	}

	/**
	 * Figures shown: key => number.
	 *
	 * @param string $html Widget.
	 * @return array
	 */
	private static function figures( $html ) {
		preg_match_all( '#<li class="crisisdesk-([a-z0-9-]+)"><strong>([^<]*)</strong>#', $html, $m, PREG_SET_ORDER );
		$figures = array();
		foreach ( $m as $match ) {
			$figures[ $match[1] ] = $match[2];
		}
		return $figures;
	}

	/**
	 * Expires the widget's cache, as time would.
	 */
	private static function expire_cache() {
		update_option( '_transient_timeout_' . CrisisDesk_Widget::CACHE_KEY, time() - 1 );
	}

	/**
	 * Registered dashboard widgets for the current user, as wp_dashboard_setup() registers them.
	 *
	 * @return array
	 */
	private function dashboard_widgets() {
		require_once ABSPATH . 'wp-admin/includes/dashboard.php';
		require_once ABSPATH . 'wp-admin/includes/template.php';
		require_once ABSPATH . 'wp-admin/includes/class-wp-screen.php';
		require_once ABSPATH . 'wp-admin/includes/screen.php';
		global $wp_meta_boxes;
		$wp_meta_boxes = array();
		set_current_screen( 'dashboard' );
		try {
			do_action( 'wp_dashboard_setup' );
		} finally {
			$GLOBALS['current_screen'] = null;
		}
		$found = array();
		foreach ( (array) ( $wp_meta_boxes['dashboard'] ?? array() ) as $context ) {
			foreach ( $context as $priority ) {
				foreach ( $priority as $id => $box ) {
					if ( $box ) {
						$found[ $id ] = $box;
					}
				}
			}
		}
		return $found;
	}

	/**
	 * @return array
	 */
	public function who_sees_it() {
		return array(
			'administrator' => array( 'administrator', true ),
			'shop manager'  => array( 'shop_manager', true ),
			'editor'        => array( 'editor', false ),
			'subscriber'    => array( 'subscriber', false ),
			'customer'      => array( 'customer', false ),
		);
	}

	/**
	 * @dataProvider who_sees_it
	 *
	 * @param string $role  Role.
	 * @param bool   $shown Whether the widget is on their dashboard.
	 */
	public function test_the_widget_is_for_the_people_who_run_the_shop( $role, $shown ) {
		$this->login_as( $role );
		$widgets = $this->dashboard_widgets();
		if ( $shown ) {
			$this->assertArrayHasKey( 'crisisdesk_summary', $widgets );
			$this->assertSame( 'CrisisDesk', $widgets['crisisdesk_summary']['title'] );
			$this->assertSame( array( 'CrisisDesk_Widget', 'render' ), $widgets['crisisdesk_summary']['callback'] );
		} else {
			$this->assertArrayNotHasKey( 'crisisdesk_summary', $widgets );
		}
		$this->assertSame( array(), $this->recorded_requests(), 'registering asks the service nothing' );
	}

	public function test_the_summary_is_read_signed_and_shown_escaped() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				self::summary_answer(
					array(
						'open_cases' => 1234,
						'alerts'     => array(
							'Spike of negative reviews for <script>alert(1)</script>',
							array( 'message' => 'Shop-wide spike: 9 negative reviews today' ),
						),
					)
				),
			)
		);
		$this->login_as_admin();
		$html = $this->render();

		$request = $this->only_request();
		$this->assertSame( 'GET', $request['method'] );
		$this->assertSame( '/api/v1/shops/7/summary', $request['path'] );
		$this->assertSame( '', $request['body'], 'an empty body, as signed' );
		$this->assert_signed( $request );

		$this->assertSame(
			array(
				'open-cases'          => '1,234',
				'overdue-cases'       => '1',
				'negative-reviews-7d' => '5',
			),
			self::figures( $html )
		);
		$this->assertStringNotContainsString( '<script>', $html );
		$this->assertStringContainsString( '<li>Spike of negative reviews for &lt;script&gt;alert(1)&lt;/script&gt;</li>', $html );
		$this->assertStringContainsString( '<li>Shop-wide spike: 9 negative reviews today</li>', $html );
		$this->assertStringContainsString( 'href="https://panel.example/cases?shop=1"', $html );
		$this->assertStringContainsString( 'rel="noopener noreferrer"', $html );
		$this->assertStringNotContainsString( 'not answering', $html );
	}

	public function test_a_panel_url_that_is_not_http_is_dropped() {
		$this->configure( 7 );
		$this->script_responses( array( self::summary_answer( array( 'panel_url' => 'javascript:alert(document.cookie)' ) ) ) );
		$this->login_as_admin();
		$html = $this->render();
		$this->assertStringNotContainsString( 'javascript:', $html );
		$this->assertStringNotContainsString( 'Open the CrisisDesk panel', $html );
		$this->assertSame( '3', self::figures( $html )['open-cases'] );
	}

	public function test_odd_values_from_the_service_do_not_break_the_widget() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				array(
					'status' => 200,
					'body'   => array(
						'open_cases' => '2"><b>',
						'alerts'     => 'not a list',
						'panel_url'  => array( 'x' ),
					),
				),
			)
		);
		$this->login_as_admin();
		$html = $this->render();
		$this->assertSame(
			array(
				'open-cases'          => '2',
				'overdue-cases'       => '0',
				'negative-reviews-7d' => '0',
			),
			self::figures( $html )
		);
		$this->assertStringNotContainsString( '<b>', $html );
		$this->assertStringNotContainsString( 'crisisdesk-alerts', $html );
	}

	public function test_the_summary_is_cached_and_the_cache_expires() {
		$this->configure( 7 );
		$this->script_responses( array( self::summary_answer(), self::summary_answer( array( 'open_cases' => 4 ) ) ) );
		$this->login_as_admin();

		$this->assertSame( '3', self::figures( $this->render() )['open-cases'] );
		$this->assertSame( '3', self::figures( $this->render() )['open-cases'] );
		$this->assertCount( 1, $this->recorded_requests(), 'the second dashboard load asks nothing' );
		$timeout = (int) get_option( '_transient_timeout_' . CrisisDesk_Widget::CACHE_KEY );
		$this->assertGreaterThan( time(), $timeout );
		$this->assertLessThanOrEqual( time() + 300, $timeout, 'cached briefly' );

		self::expire_cache();
		$this->assertSame( '4', self::figures( $this->render() )['open-cases'] );
		$this->assertCount( 2, $this->recorded_requests() );
	}

	public function test_a_service_that_is_down_is_said_once_a_minute_with_the_last_good_figures() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				self::summary_answer(),
				array(
					'status' => 500,
					'body'   => '<html>Internal Server Error</html>',
				),
			)
		);
		$this->login_as_admin();
		$this->render();
		self::expire_cache();

		$html = $this->render();
		$this->assertCount( 2, $this->recorded_requests() );
		$this->assertStringContainsString( 'CrisisDesk is not answering right now', $html );
		$this->assertStringContainsString( 'HTTP 500', $html );
		$last_good = get_option( CrisisDesk_Widget::LAST_GOOD_OPTION );
		$this->assertStringContainsString( 'Figures as of ' . wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), $last_good['fetched_at'] ), $html );
		$this->assertSame( '3', self::figures( $html )['open-cases'], 'the last good figures' );

		$timeout = (int) get_option( '_transient_timeout_' . CrisisDesk_Widget::CACHE_KEY );
		$this->assertGreaterThan( time(), $timeout );
		$this->assertLessThanOrEqual( time() + 60, $timeout, 'a failure is cached for a minute' );
		$again = $this->render();
		$this->assertCount( 2, $this->recorded_requests(), 'the next dashboard load does not wait on the service again' );
		$this->assertStringContainsString( 'CrisisDesk is not answering right now', $again );
	}

	public function test_an_unreachable_service_without_earlier_figures() {
		$this->configure( 7, null, 'http://127.0.0.1:' . self::closed_port() );
		$this->login_as_admin();
		$html = $this->render();
		$this->assertStringContainsString( 'CrisisDesk is not answering right now', $html );
		$this->assertStringContainsString( 'could not be reached', $html );
		$this->assertStringNotContainsString( 'Figures as of', $html );
		$this->assertSame( array(), self::figures( $html ) );
		$this->assertIsArray( get_transient( CrisisDesk_Widget::CACHE_KEY ), 'the failure is cached' );
	}

	public function test_a_slow_service_is_given_up_on() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				array_merge( self::summary_answer(), array( 'delay' => CrisisDesk_Widget::TIMEOUT + 0.5 ) ),
			)
		);
		$this->login_as_admin();
		$html = $this->render();
		$this->assertStringContainsString( 'CrisisDesk is not answering right now', $html );
		$this->assertStringContainsString( 'timed out', $html );
		$this->assertSame( array(), self::figures( $html ), 'the answer that came too late is not used' );
	}

	public function test_a_wrong_secret_is_shown_as_the_services_refusal() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				array(
					'status' => 401,
					'body'   => array( 'error' => 'no signature matches' ),
				),
			)
		);
		$this->login_as_admin();
		$html = $this->render();
		$this->assertStringContainsString( 'HTTP 401: no signature matches', $html );
	}

	public function test_not_configured_links_to_the_settings_page_and_asks_nothing() {
		$this->login_as_admin();
		$html = $this->render();
		$this->assertStringContainsString( 'CrisisDesk is not connected yet.', $html );
		$this->assertStringContainsString( 'href="' . esc_url( admin_url( 'admin.php?page=crisisdesk' ) ) . '"', $html );
		$this->assertSame( array(), $this->recorded_requests() );

		update_option( 'crisisdesk_service_url', $this->recorder_url() );
		update_option( 'crisisdesk_shop_id', '7' );
		$this->assertStringContainsString( 'not connected yet', $this->render(), 'without a secret' );
		$this->assertSame( array(), $this->recorded_requests() );
	}

	public function test_saving_the_settings_clears_the_cached_summary() {
		$this->configure( 7 );
		$this->script_responses( array( self::summary_answer(), self::summary_answer( array( 'open_cases' => 8 ) ) ) );
		$this->login_as_admin();
		$this->render();
		$this->admin_post(
			'crisisdesk_save_settings',
			array(
				'crisisdesk_service_url' => $this->recorder_url(),
				'crisisdesk_shop_id'     => '8',
				'crisisdesk_secret'      => '',
			)
		);
		$this->assertSame( '8', self::figures( $this->render() )['open-cases'] );
		$this->assertSame( '/api/v1/shops/8/summary', $this->recorded_requests()[1]['path'] );
	}
}
