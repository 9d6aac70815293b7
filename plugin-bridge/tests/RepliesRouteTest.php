<?php
/**
 * POST /wp-json/crisisdesk/v1/replies (SPEC section 6, "Bridge route"), dispatched through
 * WordPress's real REST server with raw signed bodies, as the service sends them.
 */

require_once __DIR__ . '/support/trait-crisisdesk-inbound-helpers.php';

/**
 * The replies route.
 */
class RepliesRouteTest extends CrisisDesk_TestCase {

	use CrisisDesk_Inbound_Helpers;

	const ROUTE = '/crisisdesk/v1/replies';

	/**
	 * Product.
	 *
	 * @var int
	 */
	private $product_id;

	/**
	 * An approved review on it.
	 *
	 * @var int
	 */
	private $review_id;

	protected function setUp(): void {
		parent::setUp();
		$this->configure();
		$this->product_id = $this->make_product( 'Kettle' );
		$this->review_id  = $this->post_review(
			$this->product_id,
			array(
				'content'  => 'Arrived broken.',
				'rating'   => 1,
				'approved' => 1,
			)
		);
		$this->end_request(); // The review's own event is queued now, not during the reply.
		global $wpdb;
		$wpdb->query( "TRUNCATE TABLE {$wpdb->prefix}crisisdesk_events" );
	}

	/**
	 * Sends a reply as the service does: a raw JSON body, signed, Content-Type with charset.
	 *
	 * @param string|array $body    Raw body, or data to encode.
	 * @param array        $headers Headers replacing the signed ones (null values drop a header).
	 * @return WP_REST_Response
	 */
	private function send( $body, array $headers = array() ) {
		$raw    = is_string( $body ) ? $body : json_encode( $body, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES );
		$signed = array_merge( self::signed_headers( $raw ), $headers );
		$signed = array_filter(
			$signed,
			static function ( $value ) {
				return null !== $value;
			}
		);
		return $this->rest( 'POST', self::ROUTE, $raw, $signed + array( 'content-type' => 'application/json; charset=utf-8' ) );
	}

	/**
	 * Asserts an error answer.
	 *
	 * @param int              $status   HTTP status.
	 * @param string           $code     Error code.
	 * @param WP_REST_Response $response Response.
	 * @return array The error body.
	 */
	private function assert_error( $status, $code, WP_REST_Response $response ) {
		$data = $this->rest_data( $response );
		$this->assertSame( $status, $response->get_status(), wp_json_encode( $data ) );
		$this->assertSame( $code, $data['code'] ?? null, wp_json_encode( $data ) );
		$this->assertNotSame( '', $data['message'] );
		return $data;
	}

	/**
	 * Comments under the review.
	 *
	 * @return WP_Comment[]
	 */
	private function replies() {
		return get_comments(
			array(
				'parent' => $this->review_id,
				'status' => 'any',
			)
		);
	}

	private function assert_no_reply() {
		$this->assertSame( array(), $this->replies(), 'no reply was posted' );
		$this->assertSame( 1, (int) get_comments( array( 'count' => true, 'status' => 'any' ) ) );
	}

	public function test_the_route_is_registered_for_post_only() {
		$routes = rest_get_server()->get_routes();
		$this->assertArrayHasKey( self::ROUTE, $routes );
		$methods = array();
		foreach ( $routes[ self::ROUTE ] as $handler ) {
			$methods += $handler['methods'];
		}
		$this->assertSame( array( 'POST' => true ), $methods );
		$this->assertSame( 404, $this->rest( 'GET', self::ROUTE )->get_status() );
	}

	public function test_a_signed_reply_is_posted_under_the_review_as_the_reply_user() {
		$agent = $this->make_user(
			'shop_manager',
			array(
				'display_name' => 'Anna from the Shop',
				'user_email'   => 'anna@shop.example',
				'user_url'     => 'https://shop.example',
			)
		);
		update_option( 'crisisdesk_reply_user_id', $agent );

		$response = $this->send(
			array(
				'review_id' => $this->review_id,
				'content'   => "We are sorry, Grace.\nA new kettle is on its way — zażółć gęślą jaźń.",
			)
		);

		$this->assertSame( 201, $response->get_status(), wp_json_encode( $this->rest_data( $response ) ) );
		$data = $this->rest_data( $response );
		$this->assertIsInt( $data['comment_id'] );
		$reply = get_comment( $data['comment_id'] );
		$this->assertInstanceOf( WP_Comment::class, $reply );
		$this->assertSame( '1', $reply->comment_approved, 'public at once' );
		$this->assertSame( (string) $this->review_id, $reply->comment_parent );
		$this->assertSame( (string) $this->product_id, $reply->comment_post_ID );
		$this->assertSame( 'comment', $reply->comment_type, 'a reply, not a second review' );
		$this->assertSame( (string) $agent, $reply->user_id );
		$this->assertSame( 'Anna from the Shop', $reply->comment_author );
		$this->assertSame( 'anna@shop.example', $reply->comment_author_email );
		$this->assertSame( "We are sorry, Grace.\nA new kettle is on its way — zażółć gęślą jaźń.", $reply->comment_content );
		$this->assertSame( '', get_comment_meta( $reply->comment_ID, 'rating', true ), 'no rating on a reply' );
		$this->assertSame( 1, count( $this->replies() ) );
		$this->assertSame( 2, (int) get_comments_number( $this->product_id ), 'the product counts the public reply' );

		$claims = self::reply_rows();
		$this->assertCount( 1, $claims );
		$this->assertSame( (string) $data['comment_id'], $claims[0]->comment_id );
		$this->assertSame( (string) $this->review_id, $claims[0]->review_id );
	}

	public function test_the_reply_user_falls_back_to_the_oldest_administrator() {
		$this->make_user( 'administrator' ); // Newer than user 1.
		update_option( 'crisisdesk_reply_user_id', 0 );
		$response = $this->send(
			array(
				'review_id' => $this->review_id,
				'content'   => 'Thank you.',
			)
		);
		$this->assertSame( 201, $response->get_status() );
		$this->assertSame( '1', get_comment( $this->rest_data( $response )['comment_id'] )->user_id );
	}

	public function test_a_deleted_or_demoted_reply_user_is_not_used() {
		$deleted = $this->make_user( 'shop_manager' );
		update_option( 'crisisdesk_reply_user_id', $deleted );
		require_once ABSPATH . 'wp-admin/includes/user.php';
		wp_delete_user( $deleted );
		$first = $this->send(
			array(
				'review_id' => $this->review_id,
				'content'   => 'First.',
			)
		);
		$this->assertSame( 201, $first->get_status() );
		$this->assertSame( '1', get_comment( $this->rest_data( $first )['comment_id'] )->user_id );

		$demoted = $this->make_user( 'shop_manager' );
		update_option( 'crisisdesk_reply_user_id', $demoted );
		( new WP_User( $demoted ) )->set_role( 'customer' );
		$second = $this->send(
			array(
				'review_id' => $this->review_id,
				'content'   => 'Second.',
			)
		);
		$this->assertSame( 201, $second->get_status() );
		$this->assertSame( '1', get_comment( $this->rest_data( $second )['comment_id'] )->user_id, 'a customer never speaks for the shop' );
	}

	public function test_markup_is_stripped_and_text_is_otherwise_kept_as_sent() {
		$response = $this->send(
			array(
				'review_id' => $this->review_id,
				'content'   => "<p>Hello <b>Grace</b></p><script>alert(1)</script>\nUse code LATO%25 or C:\\kettle\\help — it's 100%ab fine, 3 < 5.",
			)
		);
		$this->assertSame( 201, $response->get_status(), wp_json_encode( $this->rest_data( $response ) ) );
		$content = get_comment( $this->rest_data( $response )['comment_id'] )->comment_content;
		$this->assertStringNotContainsString( '<', str_replace( '&lt;', '', $content ), 'no markup survives' );
		$this->assertStringNotContainsString( 'alert(1)', $content, 'script contents are dropped with the tag' );
		$this->assertStringContainsString( 'Hello Grace', $content );
		$this->assertStringContainsString( 'LATO%25', $content, 'percent signs are text, not URL encoding' );
		$this->assertStringContainsString( '100%ab', $content );
		$this->assertStringContainsString( 'C:\\kettle\\help', $content, 'backslashes are kept (wp_insert_comment() unslashes its input)' );
		$this->assertStringContainsString( "it's", $content );
		$this->assertStringContainsString( '3 &lt; 5', $content, 'a lone < is text' );
	}

	public function test_the_same_webhook_id_returns_the_same_comment_and_posts_once() {
		$body    = json_encode(
			array(
				'review_id' => $this->review_id,
				'content'   => 'Sorry about that.',
			)
		);
		$first   = $this->rest( 'POST', self::ROUTE, $body, self::signed_headers( $body, 'msg_repeat_1' ) + array( 'content-type' => 'application/json' ) );
		$second  = $this->rest( 'POST', self::ROUTE, $body, self::signed_headers( $body, 'msg_repeat_1', time() + 30 ) + array( 'content-type' => 'application/json' ) );
		$this->assertSame( 201, $first->get_status() );
		$this->assertSame( 200, $second->get_status() );
		$this->assertSame( $this->rest_data( $first )['comment_id'], $this->rest_data( $second )['comment_id'] );
		$this->assertCount( 1, $this->replies() );

		// A repeat is answered from the claim even when the review has gone since.
		wp_trash_comment( $this->review_id );
		$third = $this->rest( 'POST', self::ROUTE, $body, self::signed_headers( $body, 'msg_repeat_1' ) + array( 'content-type' => 'application/json' ) );
		$this->assertSame( 200, $third->get_status(), wp_json_encode( $this->rest_data( $third ) ) );
		$this->assertSame( $this->rest_data( $first )['comment_id'], $this->rest_data( $third )['comment_id'] );
	}

	public function test_a_webhook_id_used_for_another_review_is_a_conflict() {
		$other = $this->post_review( $this->product_id, array( 'approved' => 1 ) );
		$this->assertSame(
			201,
			$this->send(
				array(
					'review_id' => $this->review_id,
					'content'   => 'One.',
				),
				self::signed_headers( '{"review_id":' . $this->review_id . ',"content":"One."}', 'msg_shared' )
			)->get_status()
		);
		$body     = '{"review_id":' . $other . ',"content":"Two."}';
		$response = $this->rest( 'POST', self::ROUTE, $body, self::signed_headers( $body, 'msg_shared' ) + array( 'content-type' => 'application/json' ) );
		$this->assert_error( 409, 'crisisdesk_webhook_id_reused', $response );
		$this->assertSame( array(), get_comments( array( 'parent' => $other ) ) );
	}

	public function test_a_bad_signature_is_refused() {
		$body = '{"review_id":' . $this->review_id . ',"content":"Hi"}';
		// Signed with another shop's secret.
		$response = $this->rest( 'POST', self::ROUTE, $body, self::signed_headers( $body, null, null, self::other_secret() ) );
		$this->assert_error( 401, 'crisisdesk_signature_invalid', $response );
		// Signed over another body.
		$headers  = self::signed_headers( '{"review_id":' . $this->review_id . ',"content":"Hello"}' );
		$response = $this->rest( 'POST', self::ROUTE, $body, $headers );
		$this->assert_error( 401, 'crisisdesk_signature_invalid', $response );
		// Not a v1 signature at all.
		$response = $this->send( $body, array( 'webhook-signature' => 'v1,' . base64_encode( str_repeat( 'x', 32 ) ) ) );
		$this->assert_error( 401, 'crisisdesk_signature_invalid', $response );
		$this->assert_no_reply();
		$this->assertSame( array(), self::reply_rows(), 'nothing claimed' );
	}

	public function test_missing_headers_are_refused() {
		$body = '{"review_id":' . $this->review_id . ',"content":"Hi"}';
		foreach ( array( 'webhook-id', 'webhook-timestamp', 'webhook-signature' ) as $missing ) {
			$response = $this->send( $body, array( $missing => null ) );
			$this->assert_error( 401, 'crisisdesk_signature_missing', $response );
		}
		$this->assert_error( 401, 'crisisdesk_signature_missing', $this->rest( 'POST', self::ROUTE, $body ) );
		$this->assert_no_reply();
	}

	public function test_timestamps_more_than_five_minutes_away_are_refused() {
		$body = '{"review_id":' . $this->review_id . ',"content":"Hi"}';
		foreach ( array( -301, 301 ) as $offset ) {
			$response = $this->rest( 'POST', self::ROUTE, $body, self::signed_headers( $body, null, time() + $offset ) );
			$this->assert_error( 401, 'crisisdesk_timestamp_stale', $response );
		}
		$response = $this->send( $body, array( 'webhook-timestamp' => '2026-11-22T10:00:00Z' ) );
		$this->assert_error( 401, 'crisisdesk_timestamp_invalid', $response );
		$this->assert_no_reply();

		// Within the window either way: accepted.
		$response = $this->rest( 'POST', self::ROUTE, $body, self::signed_headers( $body, null, time() - 250 ) );
		$this->assertSame( 201, $response->get_status() );
	}

	public function test_one_matching_signature_among_several_is_enough() {
		$body    = '{"review_id":' . $this->review_id . ',"content":"Rotated."}';
		$headers = self::signed_headers( $body, 'msg_rotation' );
		$old     = self::signature( 'msg_rotation', $headers['webhook-timestamp'], $body, self::other_secret() );
		$headers['webhook-signature'] = $old . ' v1a,' . base64_encode( 'unknown scheme' ) . ' ' . $headers['webhook-signature'];
		$response = $this->rest( 'POST', self::ROUTE, $body, $headers + array( 'content-type' => 'application/json' ) );
		$this->assertSame( 201, $response->get_status(), wp_json_encode( $this->rest_data( $response ) ) );
		$this->assertCount( 1, $this->replies() );
	}

	/**
	 * @return array
	 */
	public function invalid_bodies() {
		return array(
			'not JSON'              => array( '{"review_id": 1, "content": ', null ),
			'a JSON string'         => array( '"hello"', 'body' ),
			'no review_id'          => array( '{"content":"Hi"}', 'review_id' ),
			'review_id as a string' => array( '{"review_id":"%d","content":"Hi"}', 'review_id' ),
			'review_id as a float'  => array( '{"review_id":%d.5,"content":"Hi"}', 'review_id' ),
			'review_id zero'        => array( '{"review_id":0,"content":"Hi"}', 'review_id' ),
			'no content'            => array( '{"review_id":%d}', 'content' ),
			'content not a string'  => array( '{"review_id":%d,"content":["Hi"]}', 'content' ),
			'empty content'         => array( '{"review_id":%d,"content":"   "}', 'content' ),
			'only markup'           => array( '{"review_id":%d,"content":"<p><br></p>"}', 'content' ),
		);
	}

	/**
	 * @dataProvider invalid_bodies
	 *
	 * @param string      $template Body (%d: the review id).
	 * @param string|null $field    The field the error names (null: WordPress's own JSON error).
	 */
	public function test_an_invalid_body_is_a_400_naming_the_field( $template, $field ) {
		$body     = sprintf( $template, $this->review_id );
		$response = $this->send( $body );
		$data     = $this->rest_data( $response );
		$this->assertSame( 400, $response->get_status(), wp_json_encode( $data ) );
		if ( null === $field ) {
			$this->assertSame( 'rest_invalid_json', $data['code'], 'WordPress refuses a broken JSON body before any handler runs' );
		} else {
			$this->assertSame( 'crisisdesk_invalid_' . $field, $data['code'] );
			$this->assertSame( $field, $data['data']['field'] );
		}
		$this->assert_no_reply();
		$this->assertSame( array(), self::reply_rows() );
	}

	public function test_content_longer_than_the_limit_is_refused_and_the_limit_itself_is_fine() {
		$too_long = $this->send(
			array(
				'review_id' => $this->review_id,
				'content'   => str_repeat( 'ż', 10001 ),
			)
		);
		$data     = $this->assert_error( 400, 'crisisdesk_invalid_content', $too_long );
		$this->assertSame( 'content', $data['data']['field'] );
		$this->assertStringContainsString( '10000', $data['message'] );
		$this->assert_no_reply();

		$at_limit = $this->send(
			array(
				'review_id' => $this->review_id,
				'content'   => str_repeat( 'ż', 10000 ),
			)
		);
		$this->assertSame( 201, $at_limit->get_status() );
		$this->assertSame( str_repeat( 'ż', 10000 ), get_comment( $this->rest_data( $at_limit )['comment_id'] )->comment_content );
	}

	public function test_a_long_webhook_id_is_refused() {
		$body     = '{"review_id":' . $this->review_id . ',"content":"Hi"}';
		$response = $this->rest( 'POST', self::ROUTE, $body, self::signed_headers( $body, 'msg_' . str_repeat( 'a', 61 ) ) );
		$this->assert_error( 400, 'crisisdesk_invalid_webhook_id', $response );
		$this->assert_no_reply();
	}

	public function test_ids_that_are_not_product_reviews_are_404() {
		$our_reply       = $this->rest_data(
			$this->send(
				array(
					'review_id' => $this->review_id,
					'content'   => 'Ours.',
				)
			)
		)['comment_id'];
		$storefront_reply = $this->post_review(
			$this->product_id,
			array(
				'parent'   => $this->review_id,
				'rating'   => null,
				'content'  => 'Same here!',
				'approved' => 1,
			)
		);
		$this->assertSame( 'review', get_comment( $storefront_reply )->comment_type, 'WooCommerce types storefront replies on products as reviews too' );
		$blog_comment = wp_insert_comment(
			array(
				'comment_post_ID'  => 1,
				'comment_content'  => 'Nice post.',
				'comment_approved' => 1,
			)
		);
		$order_note   = $this->create_order()->add_order_note( 'Packed.' );

		foreach ( array( 999999, $our_reply, $storefront_reply, $blog_comment, $order_note ) as $id ) {
			$response = $this->send(
				array(
					'review_id' => $id,
					'content'   => 'Hello.',
				)
			);
			$this->assert_error( 404, 'crisisdesk_review_not_found', $response );
		}
		$this->assertCount( 2, $this->replies(), 'only the first reply and the customer\'s' );
	}

	public function test_a_spam_or_trashed_review_gets_no_public_reply() {
		foreach ( array( 'spam', 'trash' ) as $status ) {
			$review   = $this->post_review( $this->product_id, array( 'approved' => $status ) );
			$response = $this->send(
				array(
					'review_id' => $review,
					'content'   => 'Thanks!',
				)
			);
			$this->assert_error( 404, 'crisisdesk_review_not_found', $response );
			$this->assertSame( array(), get_comments( array( 'parent' => $review, 'status' => 'any' ) ) );
		}
	}

	public function test_a_held_review_can_be_answered() {
		$held = $this->post_review( $this->product_id );
		$this->assertSame( '0', get_comment( $held )->comment_approved );
		$response = $this->send(
			array(
				'review_id' => $held,
				'content'   => 'We are on it.',
			)
		);
		$this->assertSame( 201, $response->get_status() );
	}

	public function test_without_a_secret_the_route_is_unavailable() {
		delete_option( 'crisisdesk_secret' );
		$response = $this->send(
			array(
				'review_id' => $this->review_id,
				'content'   => 'Hi.',
			)
		);
		$this->assert_error( 503, 'crisisdesk_not_configured', $response );

		update_option( 'crisisdesk_secret', 'not-a-whsec-secret' );
		$response = $this->send(
			array(
				'review_id' => $this->review_id,
				'content'   => 'Hi.',
			)
		);
		$this->assert_error( 503, 'crisisdesk_not_configured', $response );
		$this->assert_no_reply();
	}

	public function test_a_reply_queues_no_review_event() {
		$response = $this->send(
			array(
				'review_id' => $this->review_id,
				'content'   => 'Sorry!',
			)
		);
		$this->assertSame( 201, $response->get_status() );
		$this->end_request();
		$this->assertSame( array(), self::event_rows(), 'a reply is not a review: nothing goes to the service' );
		$this->assertSame( array(), $this->recorded_requests() );
	}

	/**
	 * @return array
	 */
	public function crash_ages() {
		return array(
			'seconds ago' => array( 5 ),
			'an hour ago' => array( 3600 ),
		);
	}

	/**
	 * @dataProvider crash_ages
	 *
	 * @param int $age Seconds since the crashed attempt claimed the id.
	 */
	public function test_a_crashed_attempt_whose_comment_exists_is_answered_with_that_comment( $age ) {
		global $wpdb;
		// The first attempt claimed the id and inserted the comment, then died before recording it.
		$wpdb->insert(
			$wpdb->prefix . 'crisisdesk_replies',
			array(
				'webhook_id'  => 'msg_crashed',
				'review_id'   => $this->review_id,
				'comment_id'  => null,
				'created_gmt' => gmdate( 'Y-m-d H:i:s', time() - $age ),
			)
		);
		$orphan = wp_insert_comment(
			array(
				'comment_post_ID'  => $this->product_id,
				'comment_parent'   => $this->review_id,
				'comment_content'  => 'Sorry about that.',
				'comment_approved' => 1,
				'user_id'          => 1,
				'comment_meta'     => array( '_crisisdesk_webhook_id' => 'msg_crashed' ),
			)
		);

		$body     = '{"review_id":' . $this->review_id . ',"content":"Sorry about that."}';
		$response = $this->rest( 'POST', self::ROUTE, $body, self::signed_headers( $body, 'msg_crashed' ) );

		$this->assertSame( 200, $response->get_status(), wp_json_encode( $this->rest_data( $response ) ) );
		$this->assertSame( $orphan, $this->rest_data( $response )['comment_id'] );
		$this->assertCount( 1, $this->replies() );
		$this->assertSame( (string) $orphan, self::reply_rows()[0]->comment_id, 'the claim is completed' );
	}

	public function test_a_fresh_claim_without_a_comment_is_in_progress() {
		global $wpdb;
		$wpdb->insert(
			$wpdb->prefix . 'crisisdesk_replies',
			array(
				'webhook_id'  => 'msg_busy',
				'review_id'   => $this->review_id,
				'comment_id'  => null,
				'created_gmt' => gmdate( 'Y-m-d H:i:s' ),
			)
		);
		$body     = '{"review_id":' . $this->review_id . ',"content":"Hi."}';
		$response = $this->rest( 'POST', self::ROUTE, $body, self::signed_headers( $body, 'msg_busy' ) );
		$this->assert_error( 409, 'crisisdesk_reply_in_progress', $response );
		$this->assert_no_reply();
	}

	public function test_a_claim_abandoned_before_its_comment_was_made_is_taken_over() {
		global $wpdb;
		// The first attempt claimed the id and died before inserting anything, long ago.
		$wpdb->insert(
			$wpdb->prefix . 'crisisdesk_replies',
			array(
				'webhook_id'  => 'msg_abandoned',
				'review_id'   => $this->review_id,
				'comment_id'  => null,
				'created_gmt' => gmdate( 'Y-m-d H:i:s', time() - 3600 ),
			)
		);
		$body     = '{"review_id":' . $this->review_id . ',"content":"Finally."}';
		$response = $this->rest( 'POST', self::ROUTE, $body, self::signed_headers( $body, 'msg_abandoned' ) );
		$this->assertSame( 201, $response->get_status(), wp_json_encode( $this->rest_data( $response ) ) );
		$comment_id = $this->rest_data( $response )['comment_id'];
		$this->assertSame( 'Finally.', get_comment( $comment_id )->comment_content );
		$this->assertSame( (string) $comment_id, self::reply_rows()[0]->comment_id );

		$again = $this->rest( 'POST', self::ROUTE, $body, self::signed_headers( $body, 'msg_abandoned' ) );
		$this->assertSame( 200, $again->get_status() );
		$this->assertSame( $comment_id, $this->rest_data( $again )['comment_id'] );
		$this->assertCount( 1, $this->replies() );
	}

	public function test_the_webhook_id_meta_survives_unusual_characters() {
		$id       = 'msg_a\\b\'c"d';
		$body     = '{"review_id":' . $this->review_id . ',"content":"Hi."}';
		$response = $this->rest( 'POST', self::ROUTE, $body, self::signed_headers( $body, $id ) );
		$this->assertSame( 201, $response->get_status() );
		$comment_id = $this->rest_data( $response )['comment_id'];
		$this->assertSame( $id, get_comment_meta( $comment_id, '_crisisdesk_webhook_id', true ) );
	}
}
