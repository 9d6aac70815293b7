<?php
/**
 * What the plugin queues: one event per changed review or order at the end of the request, in the
 * SPEC's envelope around the resource in WooCommerce's REST v3 shape (SPEC sections 6 and 7).
 * Driven through WordPress's and the WooCommerce stand-in's real code paths; nothing is sent here
 * (delivery is DeliveryTest's).
 */

require_once __DIR__ . '/support/class-crisisdesk-events-testcase.php';

/**
 * Events in.
 */
class EventsTest extends CrisisDesk_Events_TestCase {

	protected function setUp(): void {
		parent::setUp();
		$this->configure();
	}

	/**
	 * The queued envelope of a row, decoded, after checking its outer shape.
	 *
	 * @param object $row Queue row.
	 * @return array
	 */
	private function envelope( $row ) {
		$this->assertIsString( $row->body );
		$body = json_decode( $row->body, true );
		$this->assertIsArray( $body, 'the body is JSON' );
		$this->assertSame( array( 'type', 'occurred_at', 'data' ), array_keys( $body ) );
		$this->assertSame( $row->event_type, $body['type'] );
		$this->assertMatchesRegularExpression( '/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/', $body['occurred_at'] );
		$this->assertEqualsWithDelta( time(), strtotime( $body['occurred_at'] ), 5 );
		return $body;
	}

	/**
	 * The rows queued since $before, as [type, resource_type, resource_id].
	 *
	 * @param int $before Rows there were before.
	 * @return array[]
	 */
	private function new_events( $before ) {
		$out = array();
		foreach ( array_slice( $this->rows(), $before ) as $row ) {
			$out[] = array( $row->event_type, $row->resource_type, (int) $row->resource_id );
		}
		return $out;
	}

	/**
	 * The review as WooCommerce's REST API gives it to the shop (edit context).
	 *
	 * @param int $review_id Review.
	 * @return array
	 */
	private function review_as_woocommerce_reads_it( $review_id ) {
		$previous = get_current_user_id();
		$this->login_as_admin();
		$response = $this->rest( 'GET', '/wc/v3/products/reviews/' . $review_id, array( 'context' => 'edit' ) );
		wp_set_current_user( $previous );
		$this->assertSame( 200, $response->get_status() );
		return $this->rest_data( $response );
	}

	/**
	 * Refuses every read of an order through WooCommerce's REST permission filter.
	 *
	 * @return callable The filter, for remove_filter().
	 */
	private function deny_order_reads() {
		$deny = static function ( $permission, $context, $object_id, $post_type ) {
			return 'shop_order' === $post_type && 'read' === $context ? false : $permission;
		};
		add_filter( 'woocommerce_rest_check_permissions', $deny, 10, 4 );
		return $deny;
	}

	/*
	 * Reviews.
	 */

	public function test_a_storefront_review_queues_one_review_created_event_when_the_request_ends_and_sends_nothing() {
		$product_id = $this->make_product( 'Lab Gadget' );
		$this->create_order(
			array(
				'billing'    => array( 'email' => 'grace@example.test' ),
				'line_items' => array( array( 'product_id' => $product_id ) ),
			)
		);
		$this->end_request(); // The order's own event, in the request that made it.
		$before = count( $this->rows() );

		$review_id = $this->post_review(
			$product_id,
			array(
				'email'   => 'grace@example.test',
				'content' => "Stopped working.\n\nAfter a week.",
				'rating'  => 2,
			)
		);

		$this->assertCount( $before, $this->rows(), 'nothing is queued before the request ends' );
		$this->assertSame( 1, CrisisDesk_Event_Hooks::pending_count() );

		$this->end_request();

		$this->assertSame( 0, CrisisDesk_Event_Hooks::pending_count() );
		$rows = array_slice( $this->rows(), $before );
		$this->assertCount( 1, $rows );
		$row = $rows[0];
		$this->assertSame( 'review.created', $row->event_type );
		$this->assertSame( 'review', $row->resource_type );
		$this->assertSame( $review_id, (int) $row->resource_id );
		$this->assertSame( 'pending', $row->status );
		$this->assertSame( '0', (string) $row->attempts );
		$this->assertNull( $row->last_error );
		$this->assertMatchesRegularExpression( '/^msg_[0-9a-f]{32}$/', $row->webhook_id );
		$this->assertEqualsWithDelta( time(), self::ts( $row->next_attempt_gmt ), 5, 'due at once' );
		$this->assertEqualsWithDelta( time(), self::ts( $row->created_gmt ), 5 );
		$this->assertSame( array(), $this->recorded_requests(), 'no HTTP request during the shopper\'s request' );

		$body = $this->envelope( $row );
		$this->assertSame( 'review.created', $body['type'] );
		$data     = $body['data'];
		$recorded = $this->fixture( 'review.json' );
		$this->assertSame( array_merge( array_keys( $recorded ), array( 'date_modified_gmt' ) ), array_keys( $data ), 'WooCommerce\'s review fields, plus date_modified_gmt' );
		$this->assertSame( $review_id, $data['id'] );
		$this->assertSame( $product_id, $data['product_id'] );
		$this->assertSame( 'Lab Gadget', $data['product_name'] );
		$this->assertSame( get_permalink( $product_id ), $data['product_permalink'] );
		$this->assertSame( 'hold', $data['status'], 'WordPress holds a first review' );
		$this->assertSame( 'Grace Hopper', $data['reviewer'] );
		$this->assertSame( 'grace@example.test', $data['reviewer_email'] );
		$this->assertSame( "Stopped working.\n\nAfter a week.", $data['review'], 'the stored text, not wpautop\'s <p>' );
		$this->assertSame( 2, $data['rating'], 'the rating meta WooCommerce saved on comment_post' );
		$this->assertTrue( $data['verified'] );
		$this->assertSame( str_replace( ' ', 'T', get_comment( $review_id )->comment_date_gmt ), $data['date_created_gmt'] );
		$this->assertSame( substr( $body['occurred_at'], 0, -1 ), $data['date_modified_gmt'] );
		$this->assertArrayNotHasKey( 'meta_data', $data, 'no _review_order_id meta, no meta_data' );

		$expected                      = $this->review_as_woocommerce_reads_it( $review_id );
		$expected['date_modified_gmt'] = $data['date_modified_gmt'];
		$this->assertSame( $expected, $data, 'exactly what GET /wc/v3/products/reviews/<id>?context=edit answers' );
	}

	public function test_the_review_order_meta_of_woocommerce_10_8_is_sent_as_meta_data() {
		$product_id = $this->make_product( 'Mug' );
		$order      = $this->create_order( array( 'line_items' => array( array( 'product_id' => $product_id ) ) ) );
		$this->end_request();
		// WooCommerce 10.8+ records the order its review request came from.
		add_action(
			'comment_post',
			static function ( $comment_id ) use ( $order ) {
				add_comment_meta( $comment_id, '_review_order_id', (string) $order->get_id() );
			},
			5
		);

		$row  = $this->queue_review_event( $product_id );
		$data = $this->envelope( $row )['data'];

		$this->assertSame(
			array(
				array(
					'key'   => '_review_order_id',
					'value' => $order->get_id(),
				),
			),
			$data['meta_data']
		);
	}

	public function test_editing_a_reviews_text_queues_review_updated_with_the_new_text() {
		$row       = $this->queue_review_event( null, array( 'approved' => 1 ) );
		$review_id = (int) $row->resource_id;
		$before    = count( $this->rows() );

		$this->assertSame( 1, wp_update_comment( array( 'comment_ID' => $review_id, 'comment_content' => "Edited:\nit broke." ) ) );
		$this->assertCount( $before, $this->rows(), 'queued at the end of the request' );
		$this->end_request();

		$this->assertSame( array( array( 'review.updated', 'review', $review_id ) ), $this->new_events( $before ) );
		$data = $this->envelope( $this->rows()[ $before ] )['data'];
		$this->assertSame( "Edited:\nit broke.", $data['review'] );
		$this->assertSame( 'approved', $data['status'] );
		$this->assertSame( 5, $data['rating'] );
	}

	public function test_changing_or_adding_the_rating_meta_queues_review_updated() {
		$row       = $this->queue_review_event( null, array( 'rating' => 5 ) );
		$review_id = (int) $row->resource_id;
		$before    = count( $this->rows() );

		update_comment_meta( $review_id, 'rating', 1 );
		$this->end_request();
		$this->assertSame( array( array( 'review.updated', 'review', $review_id ) ), $this->new_events( $before ) );
		$this->assertSame( 1, $this->envelope( $this->rows()[ $before ] )['data']['rating'] );

		// A review saved without a rating (ratings optional) that gets one later.
		update_option( 'woocommerce_review_rating_required', 'no' );
		$unrated = $this->queue_review_event( null, array( 'rating' => null ) );
		$this->assertSame( 0, $this->envelope( $unrated )['data']['rating'] );
		$before = count( $this->rows() );
		add_comment_meta( (int) $unrated->resource_id, 'rating', 4, true );
		$this->end_request();
		$this->assertSame( array( array( 'review.updated', 'review', (int) $unrated->resource_id ) ), $this->new_events( $before ) );
		$this->assertSame( 4, $this->envelope( $this->rows()[ $before ] )['data']['rating'] );

		// Other meta is not a change of the review.
		$before = count( $this->rows() );
		update_comment_meta( $review_id, 'verified', 1 );
		add_comment_meta( $review_id, 'some_plugin_flag', 'x' );
		$this->end_request();
		$this->assertSame( array(), $this->new_events( $before ) );
	}

	public function test_moderation_queues_review_status_changed_with_woocommerces_status() {
		$row       = $this->queue_review_event();
		$review_id = (int) $row->resource_id;
		$this->assertSame( 'hold', $this->envelope( $row )['data']['status'] );

		$steps = array(
			'approve' => static function () use ( $review_id ) {
				return wp_set_comment_status( $review_id, 'approve' );
			},
			'hold'    => static function () use ( $review_id ) {
				return wp_set_comment_status( $review_id, 'hold' );
			},
			'spam'    => static function () use ( $review_id ) {
				return wp_set_comment_status( $review_id, 'spam' );
			},
			'trash'   => static function () use ( $review_id ) {
				return wp_set_comment_status( $review_id, 'trash' );
			},
			'untrash' => static function () use ( $review_id ) {
				return wp_untrash_comment( $review_id ); // Back to where it was before the trash.
			},
		);
		$seen  = array();
		foreach ( $steps as $step => $change ) {
			$before = count( $this->rows() );
			$this->assertTrue( (bool) $change(), $step );
			$this->end_request();
			$this->assertSame( array( array( 'review.status_changed', 'review', $review_id ) ), $this->new_events( $before ), $step );
			$seen[ $step ] = $this->envelope( $this->rows()[ $before ] )['data']['status'];
		}
		$this->assertSame(
			array(
				'approve' => 'approved',
				'hold'    => 'hold',
				'spam'    => 'spam',
				'trash'   => 'trash',
				'untrash' => 'hold', // wp_set_comment_status() keeps no "before the trash" status.
			),
			$seen
		);

		// WordPress's own trash and restore of an approved review.
		wp_set_comment_status( $review_id, 'approve' );
		$this->end_request();
		$before = count( $this->rows() );
		wp_trash_comment( $review_id );
		$this->end_request();
		wp_untrash_comment( $review_id );
		$this->end_request();
		$this->assertSame( array( 'trash', 'approved' ), array_map( fn( $r ) => $this->envelope( $r )['data']['status'], array_slice( $this->rows(), $before ) ) );

		// Setting the status it already has is no change.
		$before = count( $this->rows() );
		wp_set_comment_status( $review_id, 'approve' );
		$this->end_request();
		$this->assertSame( array(), $this->new_events( $before ) );
	}

	public function test_several_changes_to_one_review_in_one_request_make_one_event_of_the_strongest_type() {
		$product_id = $this->make_product( 'Kettle' );

		// Posted, approved, edited and re-rated in one request: still one review.created.
		$review_id = $this->post_review( $product_id, array( 'content' => 'First words.' ) );
		wp_set_comment_status( $review_id, 'approve' );
		wp_update_comment( array( 'comment_ID' => $review_id, 'comment_content' => 'Second words.' ) );
		update_comment_meta( $review_id, 'rating', 3 );
		$this->assertSame( 1, CrisisDesk_Event_Hooks::pending_count() );
		$this->end_request();
		$rows = $this->rows();
		$this->assertSame( array( array( 'review.created', 'review', $review_id ) ), $this->new_events( 0 ) );
		$data = $this->envelope( $rows[0] )['data'];
		$this->assertSame( array( 'approved', 'Second words.', 3 ), array( $data['status'], $data['review'], $data['rating'] ), 'the state at the end of the request' );

		// Edited and re-rated: one review.updated.
		wp_update_comment( array( 'comment_ID' => $review_id, 'comment_content' => 'Third words.' ) );
		update_comment_meta( $review_id, 'rating', 2 );
		$this->end_request();
		$this->assertSame( array( array( 'review.updated', 'review', $review_id ) ), $this->new_events( 1 ) );

		// Edited, then spammed, then edited again: one review.status_changed.
		wp_update_comment( array( 'comment_ID' => $review_id, 'comment_content' => 'Buy cheap watches.' ) );
		wp_set_comment_status( $review_id, 'spam' );
		update_comment_meta( $review_id, 'rating', 1 );
		$this->end_request();
		$this->assertSame( array( array( 'review.status_changed', 'review', $review_id ) ), $this->new_events( 2 ) );
		$data = $this->envelope( $this->rows()[2] )['data'];
		$this->assertSame( array( 'spam', 'Buy cheap watches.', 1 ), array( $data['status'], $data['review'], $data['rating'] ) );

		// Two reviews in one request: one event each.
		$a = $this->post_review( $product_id );
		$b = $this->post_review( $product_id );
		$this->end_request();
		$this->assertSame( array( array( 'review.created', 'review', $a ), array( 'review.created', 'review', $b ) ), $this->new_events( 3 ) );
	}

	public function test_replies_and_comments_that_are_not_product_reviews_queue_nothing() {
		$product_id = $this->make_product( 'Lamp' );
		$review     = $this->queue_review_event( $product_id, array( 'approved' => 1 ) );
		$review_id  = (int) $review->resource_id;
		$before     = count( $this->rows() );

		// A reply from the storefront form: WooCommerce makes it a "review" too, with a parent.
		$reply = $this->post_review(
			$product_id,
			array(
				'parent'   => $review_id,
				'rating'   => null,
				'content'  => 'Same here.',
				'approved' => 0,
			)
		);
		$this->assertSame( 'review', get_comment( $reply )->comment_type );
		$this->assertSame( $review_id, (int) get_comment( $reply )->comment_parent );
		$this->end_request();
		wp_set_comment_status( $reply, 'approve' );
		wp_update_comment( array( 'comment_ID' => $reply, 'comment_content' => 'Same here, edited.' ) );
		update_comment_meta( $reply, 'rating', 1 );
		$this->end_request();

		// The shop's reply as the replies route inserts it.
		$shop_reply = wp_insert_comment(
			array(
				'comment_post_ID'  => $product_id,
				'comment_parent'   => $review_id,
				'comment_content'  => 'Sorry to hear that.',
				'comment_approved' => 1,
				'comment_type'     => 'comment',
				'user_id'          => 1,
			)
		);
		wp_set_comment_status( $shop_reply, 'hold' );
		$this->end_request();

		// A comment on an ordinary post.
		$post_id = wp_insert_post(
			array(
				'post_title'   => 'News',
				'post_status'  => 'publish',
				'post_type'    => 'post',
				'post_content' => 'Hello.',
			)
		);
		$comment = $this->post_review( $post_id, array( 'rating' => null ) );
		$this->assertSame( 'comment', get_comment( $comment )->comment_type );
		wp_set_comment_status( $comment, 'approve' );
		wp_update_comment( array( 'comment_ID' => $comment, 'comment_content' => 'Edited comment.' ) );
		$this->end_request();

		// A top-level plain comment on a product (not a WooCommerce review: its REST API refuses it).
		$plain = wp_insert_comment(
			array(
				'comment_post_ID'  => $product_id,
				'comment_content'  => 'A note left through wp-admin.',
				'comment_approved' => 1,
				'comment_type'     => 'comment',
			)
		);
		wp_set_comment_status( $plain, 'spam' );
		$this->end_request();

		$this->assertSame( array(), $this->new_events( $before ), 'no event, and no failed row' );
	}

	public function test_permanently_deleting_a_review_or_its_product_leaves_no_unsendable_row() {
		$product_id = $this->make_product( 'Chair' );
		$first      = $this->queue_review_event( $product_id, array( 'approved' => 1 ) );
		$second     = $this->queue_review_event( $product_id, array( 'approved' => 1 ) );
		$before     = count( $this->rows() );

		wp_trash_comment( (int) $first->resource_id );
		$this->end_request();
		$this->assertSame( array( array( 'review.status_changed', 'review', (int) $first->resource_id ) ), $this->new_events( $before ) );

		$before = count( $this->rows() );
		$this->assertTrue( wp_delete_comment( (int) $first->resource_id, true ) );
		$this->assertInstanceOf( WP_Post::class, wp_delete_post( $product_id, true ) ); // Deletes its reviews too.
		$this->assertNull( get_comment( (int) $second->resource_id ) );
		$this->end_request();

		$this->assertSame( array(), $this->new_events( $before ), 'a review that no longer exists cannot be read; nothing is parked for it' );
		$this->assertSame( 0, CrisisDesk_Queue::stats()['failed'] );
	}

	public function test_a_review_created_or_edited_through_woocommerces_rest_api_is_queued() {
		$product_id = $this->make_product( 'Stool' );
		// As WC_REST_Product_Reviews_Controller::create_item() does: wp_insert_comment() (no
		// comment_post), the rating meta, then woocommerce_rest_insert_product_review.
		$review_id = wp_insert_comment(
			array(
				'comment_post_ID'      => $product_id,
				'comment_content'      => 'Imported review.',
				'comment_author'       => 'Ada',
				'comment_author_email' => 'ada@example.test',
				'comment_approved'     => 1,
				'comment_type'         => 'review',
			)
		);
		update_comment_meta( $review_id, 'rating', 4 );
		$request = new WP_REST_Request( 'POST', '/wc/v3/products/reviews' );
		do_action( 'woocommerce_rest_insert_product_review', get_comment( $review_id ), $request, true );
		$this->end_request();
		$this->assertSame( array( array( 'review.created', 'review', $review_id ) ), $this->new_events( 0 ) );
		$data = $this->envelope( $this->rows()[0] )['data'];
		$this->assertSame( array( 'Imported review.', 4, 'approved' ), array( $data['review'], $data['rating'], $data['status'] ) );

		wp_update_comment( array( 'comment_ID' => $review_id, 'comment_content' => 'Imported, edited.' ) );
		do_action( 'woocommerce_rest_insert_product_review', get_comment( $review_id ), new WP_REST_Request( 'PUT', '/wc/v3/products/reviews/' . $review_id ), false );
		$this->end_request();
		$this->assertSame( array( array( 'review.updated', 'review', $review_id ) ), $this->new_events( 1 ) );
	}

	/*
	 * Orders.
	 */

	public function test_a_new_order_queues_order_created_with_the_order_in_woocommerces_rest_shape() {
		$product_id = $this->make_product( 'Teapot', array( 'price' => '30.00', 'sku' => 'TP-1' ) );
		$order      = $this->create_order(
			array(
				'line_items' => array(
					array(
						'product_id' => $product_id,
						'quantity'   => 2,
					),
				),
				'billing'    => array( 'email' => 'buyer@example.test' ),
			)
		);
		$this->assertSame( array(), $this->rows(), 'queued when the request ends, after WooCommerce saved everything' );
		$this->end_request();

		$this->assertSame( array( array( 'order.created', 'order', $order->get_id() ) ), $this->new_events( 0 ) );
		$row = $this->rows()[0];
		$this->assertSame( 'pending', $row->status );
		$data     = $this->envelope( $row )['data'];
		$recorded = $this->fixture( 'order_created.json' );
		$this->assertSame( array_keys( $recorded ), array_keys( $data ), 'the recorded order\'s fields, in order' );
		$expected = json_decode( wp_json_encode( wc_standin_order_rest_data( wc_get_order( $order->get_id() ) ) ), true );
		$links    = $data['_links'];
		unset( $data['_links'] );
		$this->assertSame( $expected, $data );
		$this->assertSame( rest_url( 'wc/v3/orders/' . $order->get_id() ), $links['self'][0]['href'] );
		$this->assertSame( 'processing', $data['status'] );
		$this->assertSame( 'buyer@example.test', $data['billing']['email'] );
		$this->assertCount( 1, $data['line_items'] );
		$this->assertSame( array( $product_id, 2, 'TP-1', '60.00' ), array( $data['line_items'][0]['product_id'], $data['line_items'][0]['quantity'], $data['line_items'][0]['sku'], $data['line_items'][0]['total'] ) );
		$this->assertSame( array(), $data['refunds'] );
		$this->assertSame( array(), $this->recorded_requests() );
	}

	public function test_orders_created_and_changed_through_woocommerces_rest_api_are_queued() {
		$this->login_as_admin();
		$created = $this->rest( 'POST', '/wc/v3/orders', array( 'status' => 'on-hold' ) );
		$this->assertSame( 201, $created->get_status() );
		$id = $created->get_data()['id'];
		$this->end_request();
		$this->assertSame( array( array( 'order.created', 'order', $id ) ), $this->new_events( 0 ) );
		$this->assertSame( 'on-hold', $this->envelope( $this->rows()[0] )['data']['status'] );

		$this->assertSame( 200, $this->rest( 'PUT', '/wc/v3/orders/' . $id, array( 'status' => 'completed' ) )->get_status() );
		$this->end_request();
		$this->assertSame( array( array( 'order.updated', 'order', $id ) ), $this->new_events( 1 ) );
		$this->assertSame( 'completed', $this->envelope( $this->rows()[1] )['data']['status'] );

		$refund = $this->rest( 'POST', "/wc/v3/orders/$id/refunds", array( 'amount' => '5.00', 'api_refund' => false ) );
		$this->assertSame( 201, $refund->get_status() );
		$this->end_request();
		$this->assertSame( array( array( 'order.refunded', 'order', $id ) ), $this->new_events( 2 ) );
		$this->assertSame( array( $refund->get_data()['id'] ), array_column( $this->envelope( $this->rows()[2] )['data']['refunds'], 'id' ) );
		$this->assertSame( 1, get_current_user_id(), 'the bridge put the current user back' );
	}

	public function test_an_order_created_and_paid_in_one_request_is_one_order_created_event() {
		$order = $this->create_order( array( 'set_paid' => true ) );
		$this->end_request();
		$this->assertSame( array( array( 'order.created', 'order', $order->get_id() ) ), $this->new_events( 0 ) );
		$this->assertSame( 'processing', $this->envelope( $this->rows()[0] )['data']['status'], 'read after the payment, at the end of the request' );
	}

	public function test_a_status_change_queues_order_updated() {
		$order = $this->create_order();
		$this->end_request();

		wc_standin_update_order_status( $order->get_id(), 'completed' );
		$this->end_request();

		$this->assertSame( array( array( 'order.updated', 'order', $order->get_id() ) ), $this->new_events( 1 ) );
		$data = $this->envelope( $this->rows()[1] )['data'];
		$this->assertSame( 'completed', $data['status'] );
		$this->assertNotNull( $data['date_completed_gmt'] );
	}

	public function test_any_other_saved_change_to_an_order_queues_order_updated() {
		$order = $this->create_order();
		$this->end_request();

		$order = wc_get_order( $order->get_id() );
		$order->update_meta_data( '_shipping_note', 'leave at the door' );
		$order->save();
		$this->end_request();

		$this->assertSame( array( array( 'order.updated', 'order', $order->get_id() ) ), $this->new_events( 1 ) );
	}

	public function test_a_refund_queues_order_refunded_with_the_refund_listed() {
		$order = $this->create_order();
		$this->end_request();
		$item_id = array_key_first( $order->get_items() );

		$refund = wc_standin_refund_order(
			$order->get_id(),
			array(
				'amount'     => '10.00',
				'reason'     => 'arrived broken',
				'line_items' => array(
					$item_id => array(
						'qty'          => 1,
						'refund_total' => 10,
					),
				),
			)
		);
		$this->end_request();
		$this->assertSame( array( array( 'order.refunded', 'order', $order->get_id() ) ), $this->new_events( 1 ) );
		$data = $this->envelope( $this->rows()[1] )['data'];
		$this->assertSame(
			array(
				array(
					'id'     => $refund->get_id(),
					'reason' => 'arrived broken',
					'total'  => '-10.00',
				),
			),
			$data['refunds']
		);
		$this->assertSame( 'processing', $data['status'], 'a partial refund keeps the status' );

		// The rest, refunded fully: the status changes too, and the refund names the event.
		$rest = wc_standin_refund_order( $order->get_id(), array( 'amount' => wc_get_order( $order->get_id() )->get_remaining_refund_amount() ) );
		$this->end_request();
		$this->assertSame( array( array( 'order.refunded', 'order', $order->get_id() ) ), $this->new_events( 2 ) );
		$data = $this->envelope( $this->rows()[2] )['data'];
		$this->assertSame( 'refunded', $data['status'] );
		$this->assertEqualsCanonicalizing( array( $refund->get_id(), $rest->get_id() ), array_column( $data['refunds'], 'id' ) );
	}

	public function test_an_order_that_cannot_be_read_is_kept_as_a_failed_row_and_read_again_on_retry() {
		// A security plugin that keeps orders out of WooCommerce's REST API: 403 inside.
		$deny  = $this->deny_order_reads();
		$order = $this->create_order();
		$later = $this->make_product( 'Later' );
		$this->end_request();

		$rows = $this->rows();
		$this->assertCount( 1, $rows );
		$row = $rows[0];
		$this->assertSame( array( 'order.created', 'order', $order->get_id() ), array( $row->event_type, $row->resource_type, (int) $row->resource_id ) );
		$this->assertSame( 'failed', $row->status, 'never dropped' );
		$this->assertNull( $row->body );
		$this->assertSame( 'Could not read /wc/v3/orders/' . $order->get_id() . ': Sorry, you cannot view this resource.', $row->last_error );
		$this->assertSame( 0, get_current_user_id(), 'the current user is put back' );

		// Failed rows wait for an admin; later events still go.
		remove_filter( 'woocommerce_rest_check_permissions', $deny );
		$this->post_review( $later, array( 'approved' => 1 ) );
		$this->end_request();
		$this->assertSame( array( 'delivered' => 1, 'failed' => 0, 'retrying' => 0 ), CrisisDesk_Runner::run() );
		$this->assertCount( 1, $this->event_requests() );
		$this->assertSame( 'review.created', $this->event_requests()[0]['json']['type'] );

		// Retry: the order is read again, now that the bridge can.
		$this->assertSame( 1, CrisisDesk_Queue::retry_failed() );
		$this->assertSame( array( 'delivered' => 1, 'failed' => 0, 'retrying' => 0 ), CrisisDesk_Runner::run() );
		$row      = $this->row( $row->id );
		$requests = $this->event_requests();
		$this->assertCount( 2, $requests );
		$this->assertSame( 'delivered', $row->status );
		$this->assert_signed_event( $requests[1], $row->body, $row->webhook_id );
		$sent = $requests[1]['json'];
		$this->assertSame( 'order.created', $sent['type'] );
		$this->assertSame( str_replace( ' ', 'T', $row->created_gmt ) . 'Z', $sent['occurred_at'], 'when it happened, not when it was read' );
		$this->assertSame( $order->get_id(), $sent['data']['id'] );
		$this->assertSame( 'processing', $sent['data']['status'] );
	}

	public function test_an_order_still_unreadable_on_retry_is_parked_again_with_the_reason() {
		$deny  = $this->deny_order_reads();
		$order = $this->create_order();
		$this->end_request();
		$id = $this->rows()[0]->id;
		$this->assertSame( 'failed', $this->row( $id )->status );

		wp_delete_post( $order->get_id(), true );
		remove_filter( 'woocommerce_rest_check_permissions', $deny );
		CrisisDesk_Queue::retry_failed();
		$this->assertSame( array( 'delivered' => 0, 'failed' => 1, 'retrying' => 0 ), CrisisDesk_Runner::run() );

		$row = $this->row( $id );
		$this->assertSame( 'failed', $row->status );
		$this->assertNull( $row->body );
		$this->assertSame( '1', (string) $row->attempts );
		$this->assertSame( 'Could not read /wc/v3/orders/' . $order->get_id() . ': Invalid ID.', $row->last_error );
		$this->assertSame( array(), $this->recorded_requests() );
	}

	public function test_a_resource_that_throws_while_being_read_is_kept_as_a_failed_row_and_blocks_nothing() {
		$product_id = $this->make_product( 'Fragile' );
		$broken     = static function () {
			throw new RuntimeException( 'a plugin broke the review response' );
		};
		add_filter( 'woocommerce_rest_prepare_product_review', $broken );
		$review_id = $this->post_review( $product_id, array( 'approved' => 1 ) );

		$this->end_request(); // The shopper's request ends normally.

		$row = $this->rows()[0];
		$this->assertSame( array( 'review.created', 'failed' ), array( $row->event_type, $row->status ) );
		$this->assertNull( $row->body );
		$this->assertSame( "Could not read review $review_id: a plugin broke the review response", $row->last_error );
		$this->assertSame( 0, get_current_user_id() );

		// Retried while still broken: parked again, and the events behind it still go.
		$order = $this->create_order();
		$this->end_request();
		CrisisDesk_Queue::retry_failed();
		$this->assertSame( array( 'delivered' => 1, 'failed' => 1, 'retrying' => 0 ), CrisisDesk_Runner::run() );
		$this->assertSame( 'failed', $this->row( $row->id )->status );
		$this->assertSame( "Could not read review $review_id: a plugin broke the review response", $this->row( $row->id )->last_error );
		$this->assertSame( array( $order->get_id() ), array_map( static fn( $r ) => $r['json']['data']['id'], $this->event_requests() ) );

		remove_filter( 'woocommerce_rest_prepare_product_review', $broken );
		CrisisDesk_Queue::retry_failed();
		$this->assertSame( array( 'delivered' => 1, 'failed' => 0, 'retrying' => 0 ), CrisisDesk_Runner::run() );
		$this->assertSame( $review_id, $this->event_requests()[1]['json']['data']['id'] );
	}

	public function test_a_resource_that_cannot_be_encoded_as_json_is_kept_as_a_failed_row() {
		$product_id = $this->make_product( 'Odd' );
		add_filter(
			'woocommerce_rest_prepare_product_review',
			static function ( $response ) {
				$response->data['score'] = NAN; // JSON has no NaN.
				return $response;
			}
		);
		$review_id = $this->post_review( $product_id );
		$this->end_request();

		$row = $this->rows()[0];
		$this->assertSame( 'failed', $row->status );
		$this->assertNull( $row->body );
		$this->assertSame( "Could not read /wc/v3/products/reviews/$review_id: the resource cannot be encoded as JSON.", $row->last_error );
	}

	/*
	 * Never blocking the shopper, and HPOS.
	 */

	public function test_the_review_form_and_checkout_do_not_wait_on_the_network() {
		// A service that would take 5 s to answer, if anything called it now.
		$this->script_responses(
			array(
				array(
					'status' => 202,
					'delay'  => 5,
				),
			)
		);
		$attempts = array();
		add_filter(
			'pre_http_request',
			static function ( $pre, $args, $url ) use ( &$attempts ) {
				$attempts[] = $url;
				return $pre;
			},
			10,
			3
		);
		$product_id = $this->make_product( 'Fast' );

		$started = microtime( true );
		$this->create_order( array( 'line_items' => array( array( 'product_id' => $product_id ) ) ) );
		$this->post_review( $product_id );
		$this->end_request();
		$elapsed = microtime( true ) - $started;

		$this->assertSame( array(), $attempts, sprintf( 'no HTTP call during the request (it took %.2f s)', $elapsed ) );
		$this->assertSame( array(), $this->recorded_requests() );
		$this->assertSame( array( 'pending', 'pending' ), array_column( $this->rows(), 'status' ) );
		$this->assertCount( 1, $this->recorder()->pending_responses(), 'the slow answer was never asked for' );
	}

	public function test_custom_order_tables_compatibility_is_declared_on_before_woocommerce_init() {
		$property = new ReflectionProperty( \Automattic\WooCommerce\Utilities\FeaturesUtil::class, 'declarations' );
		$property->setAccessible( true );
		$saved = $property->getValue();
		$property->setValue( null, array() );
		try {
			do_action( 'before_woocommerce_init' );
			$declared = \Automattic\WooCommerce\Utilities\FeaturesUtil::standin_declarations();
		} finally {
			$property->setValue( null, $saved );
		}
		$this->assertSame( array( 'crisisdesk-bridge/crisisdesk-bridge.php' => true ), $declared['custom_order_tables'] ?? null );
	}
}
