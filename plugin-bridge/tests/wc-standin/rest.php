<?php
/**
 * WooCommerce stand-in (tests only): the REST API v3 routes the bridge (and the end-to-end
 * tests) use, at WooCommerce's paths, with WooCommerce's permission checks and error codes:
 *
 * - GET          /wc/v3/orders/<id>               WC_REST_Orders_Controller via WC_REST_CRUD_Controller
 * - POST|PUT     /wc/v3/orders/<id>               (status, set_paid, meta_data, customer_note, billing, shipping, transaction_id)
 * - POST         /wc/v3/orders                    (see wc_standin_create_order() for the fields)
 * - GET          /wc/v3/orders/<id>/refunds/<rid> WC_REST_Order_Refunds_Controller
 * - POST         /wc/v3/orders/<id>/refunds       (amount, reason, line_items [{id, quantity, refund_total}], api_refund, api_restock)
 * - GET          /wc/v3/products/reviews/<id>     WC_REST_Product_Reviews_Controller
 *
 * Permissions follow wc_rest_check_post_permissions() (shop_order's capability_type) and
 * wc_rest_check_product_reviews_permissions() (moderate_comments) in includes/wc-rest-functions.php;
 * the 401/403 split is rest_authorization_required_code().
 */

defined( 'ABSPATH' ) || exit;

if ( ! function_exists( 'wc_rest_check_post_permissions' ) ) {
	/**
	 * Check permissions of posts on REST API (includes/wc-rest-functions.php).
	 *
	 * @param string $post_type Post type.
	 * @param string $context   read, create, edit, delete, batch.
	 * @param int    $object_id Post ID.
	 * @return bool
	 */
	function wc_rest_check_post_permissions( $post_type, $context = 'read', $object_id = 0 ) {
		$contexts = array(
			'read'   => 'read_private_posts',
			'create' => 'publish_posts',
			'edit'   => 'edit_post',
			'delete' => 'delete_post',
			'batch'  => 'edit_others_posts',
		);
		if ( 'revision' === $post_type ) {
			$permission = false;
		} else {
			$cap              = $contexts[ $context ];
			$post_type_object = get_post_type_object( $post_type );
			$permission       = false;
			if ( $post_type_object instanceof WP_Post_Type ) {
				$permission = current_user_can( $post_type_object->cap->$cap, $object_id );
			}
		}
		return apply_filters( 'woocommerce_rest_check_permissions', $permission, $context, $object_id, $post_type );
	}
}

if ( ! function_exists( 'wc_rest_check_product_reviews_permissions' ) ) {
	/**
	 * Check product reviews permissions on REST API (includes/wc-rest-functions.php).
	 *
	 * @param string $context   read, create, edit, delete, batch.
	 * @param int    $object_id Comment ID.
	 * @return bool
	 */
	function wc_rest_check_product_reviews_permissions( $context = 'read', $object_id = 0 ) {
		$permission = false;
		$contexts   = array(
			'read'   => 'moderate_comments',
			'create' => 'edit_products',
			'edit'   => 'edit_products',
			'delete' => 'edit_products',
			'batch'  => 'edit_products',
		);
		if ( $object_id > 0 ) {
			$object = get_comment( $object_id );
			if ( ! is_a( $object, 'WP_Comment' ) || get_comment_type( $object ) !== 'review' ) {
				return false;
			}
		}
		if ( isset( $contexts[ $context ] ) ) {
			$permission = current_user_can( $contexts[ $context ], $object_id );
		}
		return apply_filters( 'woocommerce_rest_check_permissions', $permission, $context, $object_id, 'product_review' );
	}
}

/**
 * The order in the REST API v3 shape (order_created.json), as WC_REST_Orders_Controller prints it.
 *
 * @param WC_Order $order Order.
 * @return array Without _links.
 */
function wc_standin_order_rest_data( WC_Order $order ) {
	$raw     = $order->standin_raw_data();
	$times   = $order->standin_times();
	$dp      = wc_get_price_decimals();
	$symbols = array(
		'USD' => '&#36;',
		'EUR' => '&euro;',
		'GBP' => '&pound;',
		'PLN' => '&#122;&#322;',
	);
	$dates   = array();
	foreach ( array( 'created', 'modified', 'completed', 'paid' ) as $which ) {
		$dt                                = wc_standin_datetime( $times[ $which ] );
		$dates[ "date_{$which}" ]         = $dt ? wc_rest_prepare_date_response( $dt, false ) : null;
		$dates[ "date_{$which}_gmt" ]     = $dt ? wc_rest_prepare_date_response( $dt ) : null;
	}
	$refunds = array();
	foreach ( $order->get_refunds() as $refund ) {
		$refunds[] = array(
			'id'     => $refund->get_id(),
			'reason' => $refund->get_reason() ? $refund->get_reason() : '',
			'total'  => '-' . wc_format_decimal( $refund->get_amount(), $dp ),
		);
	}
	$computed = array(
		'id'             => $order->get_id(),
		'status'         => $order->get_status(),
		'number'         => (string) $order->get_id(),
		'meta_data'      => array_map( static fn( $m ) => $m->get_data(), $order->get_meta_data() ),
		'refunds'        => $refunds,
		'payment_url'    => home_url( '/checkout/order-pay/' . $order->get_id() . '/?pay_for_order=true&key=' . $order->get_order_key() ),
		'is_editable'    => in_array( $order->get_status(), array( 'pending', 'on-hold', 'auto-draft' ), true ),
		'needs_payment'  => in_array( $order->get_status(), array( 'pending', 'failed' ), true ) && (float) $order->get_total() > 0,
		'currency_symbol' => html_entity_decode( $symbols[ $order->get_currency() ] ?? $order->get_currency(), ENT_QUOTES, 'UTF-8' ),
	) + $dates;

	// WooCommerce's field order, as recorded.
	$out = array();
	foreach ( array_keys( wc_standin_fixture( 'order_created.json' ) ) as $key ) {
		if ( '_links' === $key ) {
			continue;
		}
		$out[ $key ] = array_key_exists( $key, $computed ) ? $computed[ $key ] : ( $raw[ $key ] ?? null );
	}
	return $out;
}

/**
 * The refund in the REST API v3 shape (refund.json).
 *
 * @param WC_Order_Refund $refund Refund.
 * @return array Without _links.
 */
function wc_standin_refund_rest_data( WC_Order_Refund $refund ) {
	$dt = $refund->get_date_created();
	return array(
		'id'               => $refund->get_id(),
		'date_created'     => wc_rest_prepare_date_response( $dt, false ),
		'date_created_gmt' => wc_rest_prepare_date_response( $dt ),
		'amount'           => wc_format_decimal( $refund->get_amount(), wc_get_price_decimals() ),
		'reason'           => $refund->get_reason(),
		'refunded_by'      => $refund->get_refunded_by(),
		'refunded_payment' => $refund->get_refunded_payment(),
		'meta_data'        => array_map( static fn( $m ) => $m->get_data(), $refund->get_meta_data() ),
		'line_items'       => $refund->get_items(),
		'shipping_lines'   => array(),
		'tax_lines'        => array(),
		'fee_lines'        => array(),
	);
}

/**
 * The routes.
 */
class WC_Standin_REST {

	const NS = 'wc/v3';

	/**
	 * Hooks.
	 */
	public static function init() {
		add_action( 'rest_api_init', array( __CLASS__, 'register_routes' ), 10 );
	}

	/**
	 * Registers the routes.
	 */
	public static function register_routes() {
		$id_arg  = array(
			'description' => 'Unique identifier for the resource.',
			'type'        => 'integer',
		);
		$context = array(
			'description'       => 'Scope under which the request is made; determines fields present in response.',
			'type'              => 'string',
			'enum'              => array( 'view', 'edit' ),
			'default'           => 'view',
			'sanitize_callback' => 'sanitize_key',
			'validate_callback' => 'rest_validate_request_arg',
		);

		register_rest_route(
			self::NS,
			'/orders',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( __CLASS__, 'create_order' ),
					'permission_callback' => array( __CLASS__, 'create_order_permissions_check' ),
				),
			)
		);
		register_rest_route(
			self::NS,
			'/orders/(?P<id>[\d]+)',
			array(
				'args' => array( 'id' => $id_arg ),
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( __CLASS__, 'get_order' ),
					'permission_callback' => array( __CLASS__, 'get_order_permissions_check' ),
					'args'                => array( 'context' => $context ),
				),
				array(
					'methods'             => WP_REST_Server::EDITABLE,
					'callback'            => array( __CLASS__, 'update_order' ),
					'permission_callback' => array( __CLASS__, 'update_order_permissions_check' ),
				),
			)
		);
		register_rest_route(
			self::NS,
			'/orders/(?P<order_id>[\d]+)/refunds',
			array(
				'args' => array( 'order_id' => $id_arg ),
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( __CLASS__, 'create_refund' ),
					'permission_callback' => array( __CLASS__, 'create_refund_permissions_check' ),
				),
			)
		);
		register_rest_route(
			self::NS,
			'/orders/(?P<order_id>[\d]+)/refunds/(?P<id>[\d]+)',
			array(
				'args' => array(
					'order_id' => $id_arg,
					'id'       => $id_arg,
				),
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( __CLASS__, 'get_refund' ),
					'permission_callback' => array( __CLASS__, 'get_refund_permissions_check' ),
					'args'                => array( 'context' => $context ),
				),
			)
		);
		register_rest_route(
			self::NS,
			'/products/reviews/(?P<id>[\d]+)',
			array(
				'args' => array( 'id' => $id_arg ),
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( __CLASS__, 'get_review' ),
					'permission_callback' => array( __CLASS__, 'get_review_permissions_check' ),
					'args'                => array( 'context' => $context ),
				),
			)
		);
	}

	/*
	 * Orders (WC_REST_CRUD_Controller / WC_REST_Orders_V2_Controller).
	 */

	/**
	 * WC_REST_Orders_V2_Controller::get_object(): refunds are not orders here.
	 *
	 * @param int $id ID.
	 * @return WC_Order|false
	 */
	protected static function get_order_object( $id ) {
		$order = wc_get_order( (int) $id );
		return $order instanceof WC_Order ? $order : false;
	}

	/**
	 * Read permission; unknown IDs pass (get_order() answers 404).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 */
	public static function get_order_permissions_check( $request ) {
		$object = self::get_order_object( (int) $request['id'] );
		if ( $object && 0 !== $object->get_id() && ! wc_rest_check_post_permissions( 'shop_order', 'read', $object->get_id() ) ) {
			return new WP_Error( 'woocommerce_rest_cannot_view', 'Sorry, you cannot view this resource.', array( 'status' => rest_authorization_required_code() ) );
		}
		return true;
	}

	/**
	 * Edit permission.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 */
	public static function update_order_permissions_check( $request ) {
		$object = self::get_order_object( (int) $request['id'] );
		if ( $object && 0 !== $object->get_id() && ! wc_rest_check_post_permissions( 'shop_order', 'edit', $object->get_id() ) ) {
			return new WP_Error( 'woocommerce_rest_cannot_edit', 'Sorry, you are not allowed to edit this resource.', array( 'status' => rest_authorization_required_code() ) );
		}
		return true;
	}

	/**
	 * Create permission.
	 *
	 * @return true|WP_Error
	 */
	public static function create_order_permissions_check() {
		if ( ! wc_rest_check_post_permissions( 'shop_order', 'create' ) ) {
			return new WP_Error( 'woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.', array( 'status' => rest_authorization_required_code() ) );
		}
		return true;
	}

	/**
	 * The order response with its links.
	 *
	 * @param WC_Order $order Order.
	 * @return WP_REST_Response
	 */
	protected static function order_response( WC_Order $order ) {
		$response = rest_ensure_response( wc_standin_order_rest_data( $order ) );
		$links    = array(
			'self'       => array( 'href' => rest_url( sprintf( '/%s/%s/%d', self::NS, 'orders', $order->get_id() ) ) ),
			'collection' => array( 'href' => rest_url( sprintf( '/%s/%s', self::NS, 'orders' ) ) ),
		);
		if ( 0 !== $order->get_customer_id() ) {
			$links['customer'] = array( 'href' => rest_url( sprintf( '/%s/customers/%d', self::NS, $order->get_customer_id() ) ) );
		}
		if ( 0 !== $order->get_parent_id() ) {
			$links['up'] = array( 'href' => rest_url( sprintf( '/%s/orders/%d', self::NS, $order->get_parent_id() ) ) );
		}
		$response->add_links( $links );
		return $response;
	}

	/**
	 * GET /wc/v3/orders/<id>.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function get_order( $request ) {
		$order = self::get_order_object( (int) $request['id'] );
		if ( ! $order || 0 === $order->get_id() ) {
			return new WP_Error( 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.', array( 'status' => 404 ) );
		}
		return self::order_response( $order );
	}

	/**
	 * POST /wc/v3/orders.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function create_order( $request ) {
		if ( ! empty( $request['id'] ) ) {
			return new WP_Error( 'woocommerce_rest_shop_order_exists', 'Cannot create existing shop_order.', array( 'status' => 400 ) );
		}
		$args = array();
		foreach ( array( 'status', 'set_paid', 'customer_id', 'parent_id', 'currency', 'customer_note', 'payment_method', 'payment_method_title', 'transaction_id', 'billing', 'shipping', 'line_items', 'meta_data' ) as $key ) {
			if ( null !== $request[ $key ] ) {
				$args[ $key ] = $request[ $key ];
			}
		}
		if ( isset( $args['status'] ) && ! wc_is_order_status( 'wc-' . $args['status'] ) ) {
			return new WP_Error( 'rest_invalid_param', 'Invalid parameter(s): status', array( 'status' => 400 ) );
		}
		$args['created_via'] = 'rest-api';
		$order               = wc_standin_create_order( $args );
		$response            = self::order_response( $order );
		$response->set_status( 201 );
		$response->header( 'Location', rest_url( sprintf( '/%s/%s/%d', self::NS, 'orders', $order->get_id() ) ) );
		return $response;
	}

	/**
	 * POST|PUT /wc/v3/orders/<id>.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function update_order( $request ) {
		$order = self::get_order_object( (int) $request['id'] );
		if ( ! $order || 0 === $order->get_id() ) {
			return new WP_Error( 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.', array( 'status' => 400 ) );
		}
		$raw = $order->standin_raw_data();
		foreach ( array( 'customer_note', 'transaction_id', 'payment_method', 'payment_method_title' ) as $key ) {
			if ( null !== $request[ $key ] ) {
				$raw[ $key ] = (string) $request[ $key ];
			}
		}
		foreach ( array( 'billing', 'shipping' ) as $key ) {
			if ( is_array( $request[ $key ] ) ) {
				$raw[ $key ] = array_merge( $raw[ $key ], array_map( 'strval', $request[ $key ] ) );
			}
		}
		$order->standin_set_raw( $raw );
		if ( is_array( $request['meta_data'] ) ) {
			foreach ( $request['meta_data'] as $meta ) {
				$order->update_meta_data( $meta['key'], $meta['value'] ?? '', isset( $meta['id'] ) ? $meta['id'] : 0 );
			}
		}
		if ( ! empty( $request['status'] ) ) {
			if ( ! wc_is_order_status( 'wc-' . $request['status'] ) ) {
				return new WP_Error( 'rest_invalid_param', 'Invalid parameter(s): status', array( 'status' => 400 ) );
			}
			$order->set_status( $request['status'] );
		}
		$order->save();
		if ( true === rest_sanitize_boolean( $request['set_paid'] ) ) {
			$order->payment_complete( (string) $request['transaction_id'] );
		}
		return self::order_response( wc_get_order( $order->get_id() ) );
	}

	/*
	 * Refunds (WC_REST_Order_Refunds_Controller).
	 */

	/**
	 * Read permission.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 */
	public static function get_refund_permissions_check( $request ) {
		$refund = wc_get_order( (int) $request['id'] );
		if ( $refund instanceof WC_Order_Refund && ! wc_rest_check_post_permissions( 'shop_order_refund', 'read', $refund->get_id() ) ) {
			return new WP_Error( 'woocommerce_rest_cannot_view', 'Sorry, you cannot view this resource.', array( 'status' => rest_authorization_required_code() ) );
		}
		return true;
	}

	/**
	 * Create permission.
	 *
	 * @return true|WP_Error
	 */
	public static function create_refund_permissions_check() {
		if ( ! wc_rest_check_post_permissions( 'shop_order_refund', 'create' ) ) {
			return new WP_Error( 'woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.', array( 'status' => rest_authorization_required_code() ) );
		}
		return true;
	}

	/**
	 * The refund response with its links.
	 *
	 * @param WC_Order_Refund $refund Refund.
	 * @return WP_REST_Response
	 */
	protected static function refund_response( WC_Order_Refund $refund ) {
		$order_id = $refund->get_parent_id();
		$response = rest_ensure_response( wc_standin_refund_rest_data( $refund ) );
		$response->add_links(
			array(
				'self'       => array( 'href' => rest_url( sprintf( '/%s/orders/%d/refunds/%d', self::NS, $order_id, $refund->get_id() ) ) ),
				'collection' => array( 'href' => rest_url( sprintf( '/%s/orders/%d/refunds', self::NS, $order_id ) ) ),
				'up'         => array( 'href' => rest_url( sprintf( '/%s/orders/%d', self::NS, $order_id ) ) ),
			)
		);
		return $response;
	}

	/**
	 * GET /wc/v3/orders/<order_id>/refunds/<id>.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function get_refund( $request ) {
		$refund = wc_get_order( (int) $request['id'] );
		if ( ! $refund instanceof WC_Order_Refund || $refund->get_parent_id() !== (int) $request['order_id'] ) {
			return new WP_Error( 'woocommerce_rest_shop_order_refund_invalid_id', 'Invalid ID.', array( 'status' => 404 ) );
		}
		return self::refund_response( $refund );
	}

	/**
	 * POST /wc/v3/orders/<order_id>/refunds.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function create_refund( $request ) {
		$order = wc_get_order( (int) $request['order_id'] );
		if ( ! $order instanceof WC_Order ) {
			return new WP_Error( 'woocommerce_rest_invalid_order_id', 'Invalid order ID.', array( 'status' => 404 ) );
		}
		if ( 0 > (float) $request['amount'] ) {
			return new WP_Error( 'woocommerce_rest_invalid_order_refund', 'Refund amount must be greater than zero.', array( 'status' => 400 ) );
		}
		$line_items = array();
		foreach ( (array) $request['line_items'] as $item ) {
			if ( isset( $item['id'] ) ) {
				$line_items[ (int) $item['id'] ] = array(
					'qty'          => (int) ( $item['quantity'] ?? 0 ),
					'refund_total' => (float) ( $item['refund_total'] ?? 0 ),
				);
			}
		}
		$refund = wc_create_refund(
			array(
				'order_id'       => $order->get_id(),
				'amount'         => $request['amount'],
				'reason'         => (string) $request['reason'],
				'line_items'     => $line_items,
				'refund_payment' => null === $request['api_refund'] ? true : rest_sanitize_boolean( $request['api_refund'] ),
				'restock_items'  => null === $request['api_restock'] ? true : rest_sanitize_boolean( $request['api_restock'] ),
			)
		);
		if ( is_wp_error( $refund ) ) {
			return new WP_Error( 'woocommerce_rest_cannot_create_order_refund', $refund->get_error_message(), array( 'status' => 500 ) );
		}
		$response = self::refund_response( wc_get_order( $refund->get_id() ) );
		$response->set_status( 201 );
		$response->header( 'Location', rest_url( sprintf( '/%s/orders/%d/refunds/%d', self::NS, $order->get_id(), $refund->get_id() ) ) );
		return $response;
	}

	/*
	 * Reviews (WC_REST_Product_Reviews_Controller).
	 */

	/**
	 * WC_REST_Product_Reviews_Controller::get_review().
	 *
	 * @param int $id ID.
	 * @return WP_Comment|WP_Error
	 */
	protected static function get_review_object( $id ) {
		$id    = (int) $id;
		$error = new WP_Error( 'woocommerce_rest_review_invalid_id', 'Invalid review ID.', array( 'status' => 404 ) );
		if ( 0 >= $id ) {
			return $error;
		}
		$review = get_comment( $id );
		if ( empty( $review ) || 'review' !== get_comment_type( $id ) ) {
			return $error;
		}
		if ( ! empty( $review->comment_post_ID ) && 'product' !== get_post_type( (int) $review->comment_post_ID ) ) {
			return new WP_Error( 'woocommerce_rest_product_invalid_id', 'Invalid product ID.', array( 'status' => 404 ) );
		}
		return $review;
	}

	/**
	 * Read permission (404 first for unknown reviews, as WooCommerce).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 */
	public static function get_review_permissions_check( $request ) {
		$review = self::get_review_object( (int) $request['id'] );
		if ( is_wp_error( $review ) ) {
			return $review;
		}
		if ( ! wc_rest_check_product_reviews_permissions( 'read', (int) $request['id'] ) ) {
			return new WP_Error( 'woocommerce_rest_cannot_view', 'Sorry, you cannot view this resource.', array( 'status' => rest_authorization_required_code() ) );
		}
		return true;
	}

	/**
	 * GET /wc/v3/products/reviews/<id>: prepare_item_for_response().
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function get_review( $request ) {
		$review = self::get_review_object( $request['id'] );
		if ( is_wp_error( $review ) ) {
			return $review;
		}
		$context = ! empty( $request['context'] ) ? $request['context'] : 'view';
		$data    = array(
			'id'                   => (int) $review->comment_ID,
			'date_created'         => wc_rest_prepare_date_response( $review->comment_date ),
			'date_created_gmt'     => wc_rest_prepare_date_response( $review->comment_date_gmt ),
			'product_id'           => (int) $review->comment_post_ID,
			'product_name'         => get_the_title( (int) $review->comment_post_ID ),
			'product_permalink'    => get_permalink( (int) $review->comment_post_ID ),
			'status'               => self::prepare_status_response( (string) $review->comment_approved ),
			'reviewer'             => $review->comment_author,
			'reviewer_email'       => $review->comment_author_email,
			'review'               => 'view' === $context ? wpautop( $review->comment_content ) : $review->comment_content,
			'rating'               => (int) get_comment_meta( $review->comment_ID, 'rating', true ),
			'verified'             => wc_review_is_from_verified_owner( $review->comment_ID ),
			'reviewer_avatar_urls' => rest_get_avatar_urls( $review->comment_author_email ),
		);
		$response = rest_ensure_response( $data );
		$links    = array(
			'self'       => array( 'href' => rest_url( sprintf( '/%s/%s/%d', self::NS, 'products/reviews', $review->comment_ID ) ) ),
			'collection' => array( 'href' => rest_url( sprintf( '/%s/%s', self::NS, 'products/reviews' ) ) ),
		);
		if ( 0 !== (int) $review->comment_post_ID ) {
			$links['up'] = array( 'href' => rest_url( sprintf( '/%s/products/%d', self::NS, $review->comment_post_ID ) ) );
		}
		if ( 0 !== (int) $review->user_id ) {
			$links['reviewer'] = array(
				'href'       => rest_url( 'wp/v2/users/' . $review->user_id ),
				'embeddable' => true,
			);
		}
		$response->add_links( $links );
		return apply_filters( 'woocommerce_rest_prepare_product_review', $response, $review, $request );
	}

	/**
	 * comment_approved to the API's status (prepare_status_response()): 0 → hold, 1 → approved,
	 * spam/trash/post-trashed as they are.
	 *
	 * @param string $comment_approved comment_approved.
	 * @return string
	 */
	public static function prepare_status_response( $comment_approved ) {
		switch ( $comment_approved ) {
			case 'hold':
			case '0':
				return 'hold';
			case 'approve':
			case '1':
				return 'approved';
			default:
				return $comment_approved;
		}
	}
}
