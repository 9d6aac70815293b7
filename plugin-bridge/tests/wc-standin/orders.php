<?php
/**
 * WooCommerce stand-in (tests only): orders and refunds.
 *
 * Follows WooCommerce 7.9 with its default storage (orders are shop_order posts, refunds
 * shop_order_refund posts, order meta in postmeta, order notes are order_note comments):
 * includes/class-wc-order.php (save, set_status, status_transition, payment_complete),
 * includes/abstracts/abstract-wc-order.php, includes/abstracts/abstract-wc-data.php (save hooks,
 * meta API), includes/data-stores/class-wc-order-data-store-cpt.php (woocommerce_new_order,
 * woocommerce_update_order) and includes/wc-order-functions.php (wc_get_order, wc_create_refund,
 * wc_get_order_statuses, wc_get_is_paid_statuses).
 *
 * The order's data is kept in the shape of the REST API v3 response recorded in
 * tests/fixtures/woocommerce/order_created.json (new orders start from that file).
 *
 * Test helpers: wc_standin_create_order(), wc_standin_update_order_status(),
 * wc_standin_refund_order(), wc_standin_order_rest_data().
 */

defined( 'ABSPATH' ) || exit;

/**
 * One meta entry (WC_Meta_Data).
 */
class WC_Meta_Data implements JsonSerializable {

	/**
	 * Meta ID (postmeta meta_id), null until saved.
	 *
	 * @var int|null
	 */
	public $id;

	/**
	 * Key.
	 *
	 * @var string
	 */
	public $key;

	/**
	 * Value.
	 *
	 * @var mixed
	 */
	public $value;

	/**
	 * Changed since read.
	 *
	 * @var bool
	 */
	public $dirty = false;

	/**
	 * Constructor.
	 *
	 * @param array $meta id, key, value.
	 */
	public function __construct( array $meta ) {
		$this->id    = isset( $meta['id'] ) ? (int) $meta['id'] : null;
		$this->key   = (string) $meta['key'];
		$this->value = $meta['value'] ?? null;
	}

	/**
	 * As WC_Meta_Data::get_data().
	 *
	 * @return array
	 */
	public function get_data() {
		return array(
			'id'    => $this->id,
			'key'   => $this->key,
			'value' => $this->value,
		);
	}

	/**
	 * JSON form (what the REST API prints).
	 *
	 * @return array
	 */
	#[\ReturnTypeWillChange]
	public function jsonSerialize() {
		return $this->get_data();
	}
}

/**
 * An order's line item (WC_Order_Item_Product), read from the stored REST shape.
 */
class WC_Order_Item_Product {

	/**
	 * The line item in the REST shape.
	 *
	 * @var array
	 */
	protected $data;

	/**
	 * Order ID.
	 *
	 * @var int
	 */
	protected $order_id;

	/**
	 * Constructor.
	 *
	 * @param array $data     REST-shaped line item.
	 * @param int   $order_id Order ID.
	 */
	public function __construct( array $data, $order_id ) {
		$this->data     = $data;
		$this->order_id = (int) $order_id;
	}

	/** @return int */
	public function get_id() {
		return (int) $this->data['id'];
	}

	/** @return int */
	public function get_order_id() {
		return $this->order_id;
	}

	/** @return string */
	public function get_name() {
		return (string) $this->data['name'];
	}

	/** @return string */
	public function get_type() {
		return 'line_item';
	}

	/** @return int */
	public function get_product_id() {
		return (int) $this->data['product_id'];
	}

	/** @return int */
	public function get_variation_id() {
		return (int) $this->data['variation_id'];
	}

	/** @return int|float */
	public function get_quantity() {
		return $this->data['quantity'];
	}

	/** @return string */
	public function get_subtotal() {
		return (string) $this->data['subtotal'];
	}

	/** @return string */
	public function get_total() {
		return (string) $this->data['total'];
	}

	/**
	 * Item meta.
	 *
	 * @param string $key    Key.
	 * @param bool   $single Single value.
	 * @return mixed
	 */
	public function get_meta( $key = '', $single = true ) {
		$found = array();
		foreach ( $this->data['meta_data'] as $meta ) {
			if ( '' === $key || $meta['key'] === $key ) {
				$found[] = $meta;
			}
		}
		if ( '' === $key ) {
			return $found;
		}
		if ( $single ) {
			return $found ? $found[0]['value'] : '';
		}
		return $found;
	}

	/**
	 * The product (WC_Product stand-in) or null.
	 *
	 * @return WC_Product|null
	 */
	public function get_product() {
		$product = wc_get_product( $this->get_variation_id() ? $this->get_variation_id() : $this->get_product_id() );
		return $product ? $product : null;
	}

	/**
	 * The line item in the REST shape.
	 *
	 * @return array
	 */
	public function get_data() {
		return $this->data;
	}
}

/**
 * What orders and refunds share (WC_Abstract_Order / WC_Data, reduced).
 */
abstract class WC_Standin_Abstract_Order {

	/**
	 * Post ID, 0 until saved.
	 *
	 * @var int
	 */
	protected $id = 0;

	/**
	 * Data in the REST shape (see subclasses).
	 *
	 * @var array
	 */
	protected $data = array();

	/**
	 * Timestamps: created, modified, completed, paid (UTC, or null).
	 *
	 * @var array<string,int|null>
	 */
	protected $times = array(
		'created'   => null,
		'modified'  => null,
		'completed' => null,
		'paid'      => null,
	);

	/**
	 * Meta (not internal), as WC_Meta_Data.
	 *
	 * @var WC_Meta_Data[]
	 */
	protected $meta_data = array();

	/**
	 * Meta IDs to delete on save.
	 *
	 * @var int[]
	 */
	protected $deleted_meta_ids = array();

	/**
	 * Object type for the hooks (woocommerce_before_{type}_object_save).
	 *
	 * @var string
	 */
	protected $object_type = 'order';

	/**
	 * Post type.
	 *
	 * @var string
	 */
	protected $post_type = 'shop_order';

	/**
	 * Postmeta keys this store writes and that never show up in get_meta_data().
	 *
	 * @var string[]
	 */
	const INTERNAL_META_KEYS = array(
		'_wc_standin_data',
		'_wc_standin_times',
		'_order_key',
		'_order_currency',
		'_order_total',
		'_customer_user',
		'_billing_email',
		'_billing_first_name',
		'_billing_last_name',
		'_payment_method',
		'_refund_amount',
		'_refund_reason',
		'_refunded_by',
		'_refunded_payment',
		'_edit_lock',
		'_edit_last',
	);

	/**
	 * Reads an order or refund from its post.
	 *
	 * @param int $id Post ID.
	 * @return static|null
	 */
	public static function read( $id ) {
		$post = get_post( (int) $id );
		$obj  = new static();
		if ( ! $post || $post->post_type !== $obj->post_type ) {
			return null;
		}
		$data  = json_decode( (string) get_post_meta( $post->ID, '_wc_standin_data', true ), true );
		$times = json_decode( (string) get_post_meta( $post->ID, '_wc_standin_times', true ), true );
		if ( ! is_array( $data ) || ! is_array( $times ) ) {
			return null;
		}
		$obj->id                = (int) $post->ID;
		$obj->data              = $data;
		$obj->times             = array_merge( $obj->times, $times );
		$obj->times['modified'] = (int) strtotime( $post->post_modified_gmt . ' UTC' );
		global $wpdb;
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT meta_id, meta_key, meta_value FROM {$wpdb->postmeta} WHERE post_id = %d ORDER BY meta_id", $post->ID ) );
		foreach ( $rows as $row ) {
			if ( in_array( $row->meta_key, self::INTERNAL_META_KEYS, true ) ) {
				continue;
			}
			$obj->meta_data[] = new WC_Meta_Data(
				array(
					'id'    => (int) $row->meta_id,
					'key'   => $row->meta_key,
					'value' => maybe_unserialize( $row->meta_value ),
				)
			);
		}
		return $obj;
	}

	/** @return int */
	public function get_id() {
		return $this->id;
	}

	/** @return int */
	public function get_parent_id() {
		return (int) ( $this->data['parent_id'] ?? 0 );
	}

	/** @return WC_DateTime|null */
	public function get_date_created() {
		return wc_standin_datetime( $this->times['created'] );
	}

	/** @return WC_DateTime|null */
	public function get_date_modified() {
		return wc_standin_datetime( $this->times['modified'] );
	}

	/**
	 * Sets date_modified (timestamp or date string).
	 *
	 * @param int|string $date Date.
	 */
	public function set_date_modified( $date ) {
		$this->times['modified'] = is_numeric( $date ) ? (int) $date : (int) strtotime( (string) $date );
	}

	/**
	 * Meta by key (WC_Data::get_meta()).
	 *
	 * @param string $key     Key; '' for all.
	 * @param bool   $single  First value only.
	 * @param string $context Unused (view/edit).
	 * @return mixed
	 */
	public function get_meta( $key = '', $single = true, $context = 'view' ) {
		unset( $context );
		if ( '' === $key ) {
			return $this->get_meta_data();
		}
		$found = array_values( array_filter( $this->meta_data, static fn( $m ) => $m->key === $key ) );
		if ( $single ) {
			return $found ? $found[0]->value : '';
		}
		return $found;
	}

	/**
	 * Whether a meta key exists.
	 *
	 * @param string $key Key.
	 * @return bool
	 */
	public function meta_exists( $key = '' ) {
		foreach ( $this->meta_data as $meta ) {
			if ( $meta->key === $key ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * All meta (WC_Meta_Data objects).
	 *
	 * @return WC_Meta_Data[]
	 */
	public function get_meta_data() {
		return array_values( $this->meta_data );
	}

	/**
	 * Adds meta (saved by save()).
	 *
	 * @param string $key    Key.
	 * @param mixed  $value  Value.
	 * @param bool   $unique Only if the key is not there yet.
	 */
	public function add_meta_data( $key, $value, $unique = false ) {
		if ( $unique && $this->meta_exists( $key ) ) {
			return;
		}
		$this->meta_data[] = new WC_Meta_Data(
			array(
				'key'   => $key,
				'value' => $value,
			)
		);
	}

	/**
	 * Updates (or adds) meta (saved by save()).
	 *
	 * @param string $key     Key.
	 * @param mixed  $value   Value.
	 * @param int    $meta_id Meta ID to update.
	 */
	public function update_meta_data( $key, $value, $meta_id = 0 ) {
		foreach ( $this->meta_data as $meta ) {
			if ( ( $meta_id && $meta->id === (int) $meta_id ) || ( ! $meta_id && $meta->key === $key ) ) {
				$meta->key   = $key;
				$meta->value = $value;
				$meta->dirty = true;
				return;
			}
		}
		$this->add_meta_data( $key, $value );
	}

	/**
	 * Deletes meta by key (saved by save()).
	 *
	 * @param string $key Key.
	 */
	public function delete_meta_data( $key ) {
		foreach ( $this->meta_data as $i => $meta ) {
			if ( $meta->key === $key ) {
				if ( $meta->id ) {
					$this->deleted_meta_ids[] = $meta->id;
				}
				unset( $this->meta_data[ $i ] );
			}
		}
	}

	/**
	 * Writes meta changes to postmeta (WC_Data::save_meta_data()).
	 */
	public function save_meta_data() {
		foreach ( $this->deleted_meta_ids as $meta_id ) {
			delete_metadata_by_mid( 'post', $meta_id );
		}
		$this->deleted_meta_ids = array();
		foreach ( $this->meta_data as $meta ) {
			if ( null === $meta->id ) {
				$meta->id = (int) add_post_meta( $this->id, wp_slash( $meta->key ), wp_slash( $meta->value ) );
			} elseif ( $meta->dirty ) {
				update_metadata_by_mid( 'post', $meta->id, wp_slash( $meta->value ), wp_slash( $meta->key ) );
			}
			$meta->dirty = false;
		}
	}

	/**
	 * Stores data and times as internal postmeta.
	 */
	protected function write_internal_meta() {
		update_post_meta( $this->id, '_wc_standin_data', wp_slash( wp_json_encode( $this->data ) ) );
		update_post_meta( $this->id, '_wc_standin_times', wp_slash( wp_json_encode( $this->times ) ) );
	}

	/**
	 * A MySQL datetime (UTC) for a timestamp.
	 *
	 * @param int $timestamp Timestamp.
	 * @return string
	 */
	protected static function mysql_gmt( $timestamp ) {
		return gmdate( 'Y-m-d H:i:s', $timestamp );
	}

	/**
	 * A MySQL datetime in the site's timezone for a timestamp.
	 *
	 * @param int $timestamp Timestamp.
	 * @return string
	 */
	protected static function mysql_local( $timestamp ) {
		return wp_date( 'Y-m-d H:i:s', $timestamp );
	}
}

/**
 * An order (WC_Order).
 */
class WC_Order extends WC_Standin_Abstract_Order {

	/**
	 * Status change to announce after the next save (WC_Order::$status_transition).
	 *
	 * @var array|false
	 */
	protected $status_transition = false;

	/**
	 * An order: new (no argument) or read from the store. Unknown IDs give an order with ID 0,
	 * as WooCommerce does; use wc_get_order() to get false instead.
	 *
	 * @param int|WC_Order $order Order ID or order.
	 */
	public function __construct( $order = 0 ) {
		if ( $order instanceof WC_Order ) {
			$order = $order->get_id();
		}
		if ( $order ) {
			$read = self::read( (int) $order );
			if ( $read ) {
				$this->id        = $read->id;
				$this->data      = $read->data;
				$this->times     = $read->times;
				$this->meta_data = $read->meta_data;
			}
		}
	}

	/** @return string */
	public function get_type() {
		return 'shop_order';
	}

	/** @return string Status without "wc-". */
	public function get_status() {
		return (string) ( $this->data['status'] ?? '' );
	}

	/**
	 * Whether the order has a status (or one of several).
	 *
	 * @param string|string[] $status Status(es).
	 * @return bool
	 */
	public function has_status( $status ) {
		return is_array( $status ) ? in_array( $this->get_status(), $status, true ) : $this->get_status() === $status;
	}

	/** @return string */
	public function get_currency() {
		return (string) $this->data['currency'];
	}

	/** @return string */
	public function get_total() {
		return (string) $this->data['total'];
	}

	/** @return string */
	public function get_order_key() {
		return (string) $this->data['order_key'];
	}

	/** @return string */
	public function get_order_number() {
		return (string) $this->id;
	}

	/** @return int */
	public function get_customer_id() {
		return (int) $this->data['customer_id'];
	}

	/** @return int */
	public function get_user_id() {
		return $this->get_customer_id();
	}

	/** @return WP_User|false */
	public function get_user() {
		return $this->get_customer_id() ? get_user_by( 'id', $this->get_customer_id() ) : false;
	}

	/** @return string */
	public function get_customer_note() {
		return (string) $this->data['customer_note'];
	}

	/** @return string */
	public function get_payment_method() {
		return (string) $this->data['payment_method'];
	}

	/** @return string */
	public function get_payment_method_title() {
		return (string) $this->data['payment_method_title'];
	}

	/** @return string */
	public function get_transaction_id() {
		return (string) $this->data['transaction_id'];
	}

	/** @return string */
	public function get_created_via() {
		return (string) $this->data['created_via'];
	}

	/** @return WC_DateTime|null */
	public function get_date_completed() {
		return wc_standin_datetime( $this->times['completed'] );
	}

	/** @return WC_DateTime|null */
	public function get_date_paid() {
		return wc_standin_datetime( $this->times['paid'] );
	}

	/**
	 * Sets date_paid.
	 *
	 * @param int|null $timestamp Timestamp.
	 */
	public function set_date_paid( $timestamp ) {
		$this->times['paid'] = null === $timestamp ? null : (int) $timestamp;
	}

	/**
	 * An address.
	 *
	 * @param string $type billing or shipping.
	 * @return array
	 */
	public function get_address( $type = 'billing' ) {
		return (array) $this->data[ 'shipping' === $type ? 'shipping' : 'billing' ];
	}

	/**
	 * get_billing_* and get_shipping_* (and their set_* counterparts).
	 *
	 * @param string $name Method.
	 * @param array  $args Arguments.
	 * @return mixed
	 * @throws BadMethodCallException For other methods.
	 */
	public function __call( $name, $args ) {
		if ( preg_match( '/^(get|set)_(billing|shipping)_([a-z0-9_]+)$/', $name, $m ) && array_key_exists( $m[3], $this->data[ $m[2] ] ) ) {
			if ( 'get' === $m[1] ) {
				return $this->data[ $m[2] ][ $m[3] ];
			}
			$this->data[ $m[2] ][ $m[3] ] = (string) ( $args[0] ?? '' );
			return null;
		}
		throw new BadMethodCallException( 'The WooCommerce stand-in has no WC_Order::' . $name . '(); add it to plugin-bridge/tests/wc-standin/orders.php' );
	}

	/**
	 * Line items (only line_item is kept; other types give []).
	 *
	 * @param string|string[] $types Item types.
	 * @return WC_Order_Item_Product[] Keyed by item ID.
	 */
	public function get_items( $types = 'line_item' ) {
		$types = (array) $types;
		$items = array();
		if ( in_array( 'line_item', $types, true ) ) {
			foreach ( $this->data['line_items'] as $item ) {
				$items[ (int) $item['id'] ] = new WC_Order_Item_Product( $item, $this->id );
			}
		}
		return $items;
	}

	/**
	 * Refunds, newest first.
	 *
	 * @return WC_Order_Refund[]
	 */
	public function get_refunds() {
		if ( ! $this->id ) {
			return array();
		}
		$ids = get_posts(
			array(
				'post_type'      => 'shop_order_refund',
				'post_parent'    => $this->id,
				'post_status'    => 'any',
				'posts_per_page' => -1,
				'orderby'        => 'ID',
				'order'          => 'DESC',
				'fields'         => 'ids',
			)
		);
		return array_values( array_filter( array_map( array( 'WC_Order_Refund', 'read' ), $ids ) ) );
	}

	/** @return float */
	public function get_total_refunded() {
		return array_sum( array_map( static fn( $r ) => (float) $r->get_amount(), $this->get_refunds() ) );
	}

	/** @return float */
	public function get_remaining_refund_amount() {
		return round( (float) $this->get_total() - $this->get_total_refunded(), 2 );
	}

	/**
	 * Sets the status; the transition is announced after the next save() (WC_Order::set_status()).
	 *
	 * @param string $new_status    New status, with or without "wc-".
	 * @param string $note          Note to add with the transition.
	 * @param bool   $manual_update Changed by a person.
	 * @return array{from:string,to:string}
	 */
	public function set_status( $new_status, $note = '', $manual_update = false ) {
		$old_status = $this->get_status();
		$new_status = 'wc-' === substr( $new_status, 0, 3 ) ? substr( $new_status, 3 ) : $new_status;
		if ( ! array_key_exists( 'wc-' . $new_status, wc_get_order_statuses() ) && 'trash' !== $new_status ) {
			$new_status = 'pending';
		}
		$this->data['status'] = $new_status;

		if ( '' !== $old_status && $old_status !== $new_status ) {
			$this->status_transition = array(
				'from'   => ! empty( $this->status_transition['from'] ) ? $this->status_transition['from'] : $old_status,
				'to'     => $new_status,
				'note'   => $note,
				'manual' => (bool) $manual_update,
			);
			if ( $manual_update ) {
				do_action( 'woocommerce_order_edit_status', $this->get_id(), $new_status );
			}
		}
		return array(
			'from' => $old_status,
			'to'   => $new_status,
		);
	}

	/**
	 * Sets the status and saves (WC_Order::update_status()).
	 *
	 * @param string $new_status New status.
	 * @param string $note       Note.
	 * @param bool   $manual     Changed by a person.
	 * @return bool
	 */
	public function update_status( $new_status, $note = '', $manual = false ) {
		if ( ! $this->get_id() ) {
			return false;
		}
		$this->set_status( $new_status, $note, $manual );
		$this->save();
		return true;
	}

	/**
	 * Marks the order paid (WC_Order::payment_complete()).
	 *
	 * @param string $transaction_id Transaction ID.
	 * @return bool
	 */
	public function payment_complete( $transaction_id = '' ) {
		if ( ! $this->get_id() ) {
			return false;
		}
		do_action( 'woocommerce_pre_payment_complete', $this->get_id(), $transaction_id );
		if ( ! $this->has_status( apply_filters( 'woocommerce_valid_order_statuses_for_payment_complete', array( 'on-hold', 'pending', 'failed', 'cancelled' ), $this ) ) ) {
			do_action( 'woocommerce_payment_complete_order_status_' . $this->get_status(), $this->get_id(), $transaction_id );
			return false;
		}
		if ( '' !== $transaction_id ) {
			$this->data['transaction_id'] = (string) $transaction_id;
		}
		if ( ! $this->times['paid'] ) {
			$this->times['paid'] = time();
		}
		$this->set_status( apply_filters( 'woocommerce_payment_complete_order_status', ! empty( $this->data['needs_processing'] ) ? 'processing' : 'completed', $this->get_id(), $this ) );
		$this->save();
		do_action( 'woocommerce_payment_complete', $this->get_id(), $transaction_id );
		return true;
	}

	/**
	 * Adds an order note: an order_note comment on the order, as WooCommerce stores them.
	 *
	 * @param string $note              Note.
	 * @param int    $is_customer_note  For the customer.
	 * @param bool   $added_by_user     By the current user rather than "WooCommerce".
	 * @return int Comment ID.
	 */
	public function add_order_note( $note, $is_customer_note = 0, $added_by_user = false ) {
		if ( ! $this->get_id() ) {
			return 0;
		}
		$user = wp_get_current_user();
		if ( $added_by_user && $user->exists() ) {
			$author       = $user->display_name;
			$author_email = $user->user_email;
		} else {
			$author       = 'WooCommerce';
			$author_email = 'woocommerce@' . ( wp_parse_url( home_url(), PHP_URL_HOST ) ?? 'localhost' );
		}
		$comment_id = wp_insert_comment(
			apply_filters(
				'woocommerce_new_order_note_data',
				array(
					'comment_post_ID'      => $this->get_id(),
					'comment_author'       => $author,
					'comment_author_email' => $author_email,
					'comment_author_url'   => '',
					'comment_content'      => $note,
					'comment_agent'        => 'WooCommerce',
					'comment_type'         => 'order_note',
					'comment_parent'       => 0,
					'comment_approved'     => 1,
				),
				array(
					'order_id'         => $this->get_id(),
					'is_customer_note' => $is_customer_note,
				)
			)
		);
		if ( $is_customer_note ) {
			add_comment_meta( $comment_id, 'is_customer_note', 1 );
		}
		return (int) $comment_id;
	}

	/**
	 * Saves: creates the shop_order post (then woocommerce_new_order) or updates it (then
	 * woocommerce_update_order), then announces a status change (WC_Order::save()).
	 *
	 * @return int Order ID.
	 */
	public function save() {
		do_action( 'woocommerce_before_order_object_save', $this, null );
		$now = time();

		if ( ! $this->id ) {
			if ( null === $this->times['created'] ) {
				$this->times['created'] = $now;
			}
			$this->times['modified'] = $now;
			$this->maybe_set_dates();
			$post_id = wp_insert_post(
				array(
					'post_type'     => 'shop_order',
					'post_status'   => 'wc-' . ( $this->get_status() ? $this->get_status() : 'pending' ),
					'post_title'    => 'Order &ndash; ' . wp_date( 'F j, Y @ h:i A', $this->times['created'] ),
					'post_date'     => self::mysql_local( $this->times['created'] ),
					'post_date_gmt' => self::mysql_gmt( $this->times['created'] ),
					'post_password' => $this->data['order_key'],
					'post_parent'   => $this->get_parent_id(),
					'post_author'   => 1,
					'ping_status'   => 'closed',
					'post_excerpt'  => $this->data['customer_note'],
				),
				true
			);
			if ( is_wp_error( $post_id ) ) {
				throw new RuntimeException( 'WooCommerce stand-in: cannot create the order post: ' . $post_id->get_error_message() );
			}
			$this->id             = (int) $post_id;
			$this->data['id']     = $this->id;
			$this->data['number'] = (string) $this->id;
			$this->write_internal_meta();
			$this->write_core_meta();
			$this->save_meta_data();
			do_action( 'woocommerce_new_order', $this->id, $this );
		} else {
			$this->times['modified'] = $now;
			$this->maybe_set_dates();
			wp_update_post(
				array(
					'ID'            => $this->id,
					'post_status'   => 'wc-' . $this->get_status(),
					'post_parent'   => $this->get_parent_id(),
					'post_excerpt'  => $this->data['customer_note'],
					'edit_date'     => false,
				)
			);
			$this->write_internal_meta();
			$this->write_core_meta();
			$this->save_meta_data();
			do_action( 'woocommerce_update_order', $this->id, $this );
		}
		clean_post_cache( $this->id );

		do_action( 'woocommerce_after_order_object_save', $this, null );
		$this->status_transition();
		return $this->id;
	}

	/**
	 * date_paid for paid statuses, date_completed for completed (WC_Order::maybe_set_date_*).
	 */
	protected function maybe_set_dates() {
		if ( ! $this->times['paid'] && $this->has_status( wc_get_is_paid_statuses() ) ) {
			$this->times['paid'] = time();
		}
		if ( ! $this->times['completed'] && $this->has_status( 'completed' ) ) {
			$this->times['completed'] = time();
		}
	}

	/**
	 * The postmeta WooCommerce keeps for an order that plugins read directly.
	 */
	protected function write_core_meta() {
		update_post_meta( $this->id, '_order_key', $this->data['order_key'] );
		update_post_meta( $this->id, '_order_currency', $this->data['currency'] );
		update_post_meta( $this->id, '_order_total', $this->data['total'] );
		update_post_meta( $this->id, '_customer_user', $this->get_customer_id() );
		update_post_meta( $this->id, '_billing_email', wp_slash( $this->data['billing']['email'] ) );
		update_post_meta( $this->id, '_billing_first_name', wp_slash( $this->data['billing']['first_name'] ) );
		update_post_meta( $this->id, '_billing_last_name', wp_slash( $this->data['billing']['last_name'] ) );
		update_post_meta( $this->id, '_payment_method', $this->data['payment_method'] );
	}

	/**
	 * Announces a recorded status change (WC_Order::status_transition(), WooCommerce 7.9).
	 */
	protected function status_transition() {
		$status_transition       = $this->status_transition;
		$this->status_transition = false;
		if ( ! $status_transition ) {
			return;
		}
		do_action( 'woocommerce_order_status_' . $status_transition['to'], $this->get_id(), $this );
		if ( ! empty( $status_transition['from'] ) ) {
			$transition_note = sprintf( 'Order status changed from %1$s to %2$s.', wc_get_order_status_name( $status_transition['from'] ), wc_get_order_status_name( $status_transition['to'] ) );
			$this->add_order_note( trim( $status_transition['note'] . ' ' . $transition_note ), 0, $status_transition['manual'] );
			do_action( 'woocommerce_order_status_' . $status_transition['from'] . '_to_' . $status_transition['to'], $this->get_id(), $this );
			do_action( 'woocommerce_order_status_changed', $this->get_id(), $status_transition['from'], $status_transition['to'], $this );
			if ( in_array( $status_transition['from'], apply_filters( 'woocommerce_valid_order_statuses_for_payment', array( 'pending', 'failed' ), $this ), true )
				&& in_array( $status_transition['to'], wc_get_is_paid_statuses(), true ) ) {
				do_action( 'woocommerce_order_payment_status_changed', $this->get_id(), $this );
			}
		} else {
			$transition_note = sprintf( 'Order status set to %s.', wc_get_order_status_name( $status_transition['to'] ) );
			$this->add_order_note( trim( $status_transition['note'] . ' ' . $transition_note ), 0, $status_transition['manual'] );
		}
	}

	/**
	 * All data (WC_Order::get_data(), approximately): the REST shape with WC_DateTime dates and
	 * WC_Meta_Data meta, without _links.
	 *
	 * @return array
	 */
	public function get_data() {
		$data                  = $this->data;
		$data['id']            = $this->id;
		$data['date_created']  = $this->get_date_created();
		$data['date_modified'] = $this->get_date_modified();
		$data['date_completed'] = $this->get_date_completed();
		$data['date_paid']     = $this->get_date_paid();
		$data['meta_data']     = $this->get_meta_data();
		return $data;
	}

	/**
	 * Internal: the stored REST-shaped data (without computed fields).
	 *
	 * @return array
	 */
	public function standin_raw_data() {
		return $this->data;
	}

	/**
	 * Internal: replace stored fields (used by wc_standin_create_order() and wc_create_refund()).
	 *
	 * @param array $data  Fields.
	 * @param array $times Timestamps.
	 */
	public function standin_set_raw( array $data, array $times = array() ) {
		$this->data  = array_merge( $this->data, $data );
		$this->times = array_merge( $this->times, $times );
	}

	/**
	 * Internal: timestamps.
	 *
	 * @return array
	 */
	public function standin_times() {
		return $this->times;
	}
}

/**
 * A refund (WC_Order_Refund): a shop_order_refund post under its order.
 */
class WC_Order_Refund extends WC_Standin_Abstract_Order {

	/**
	 * Post type.
	 *
	 * @var string
	 */
	protected $post_type = 'shop_order_refund';

	/**
	 * Object type.
	 *
	 * @var string
	 */
	protected $object_type = 'order_refund';

	/** @return string */
	public function get_type() {
		return 'shop_order_refund';
	}

	/** @return string */
	public function get_amount() {
		return (string) $this->data['amount'];
	}

	/** @return string */
	public function get_reason() {
		return (string) $this->data['reason'];
	}

	/** @return int */
	public function get_refunded_by() {
		return (int) $this->data['refunded_by'];
	}

	/** @return bool */
	public function get_refunded_payment() {
		return (bool) $this->data['refunded_payment'];
	}

	/** @return string */
	public function get_status() {
		return 'completed';
	}

	/**
	 * Internal: the payment went back through the gateway (always succeeds in the stand-in).
	 */
	public function standin_mark_refunded_payment() {
		$this->data['refunded_payment'] = true;
		$this->save();
	}

	/**
	 * Refunded line items (REST shape).
	 *
	 * @return array
	 */
	public function get_items() {
		return $this->data['line_items'];
	}

	/**
	 * Creates a refund post (used by wc_create_refund()).
	 *
	 * @param int   $order_id Order.
	 * @param array $data     amount, reason, refunded_by, refunded_payment, line_items.
	 * @return WC_Order_Refund
	 */
	public static function standin_create( $order_id, array $data ) {
		$refund        = new self();
		$refund->data  = array_merge(
			array(
				'parent_id'        => (int) $order_id,
				'amount'           => '0.00',
				'reason'           => '',
				'refunded_by'      => 0,
				'refunded_payment' => false,
				'line_items'       => array(),
			),
			$data
		);
		$refund->times = array(
			'created'   => time(),
			'modified'  => time(),
			'completed' => null,
			'paid'      => null,
		);
		return $refund;
	}

	/**
	 * Saves the refund post.
	 *
	 * @return int Refund ID.
	 */
	public function save() {
		do_action( 'woocommerce_before_order_refund_object_save', $this, null );
		if ( ! $this->id ) {
			$post_id = wp_insert_post(
				array(
					'post_type'     => 'shop_order_refund',
					'post_status'   => 'wc-completed',
					'post_title'    => 'Refund &ndash; ' . wp_date( 'F j, Y @ h:i A', $this->times['created'] ),
					'post_date'     => self::mysql_local( $this->times['created'] ),
					'post_date_gmt' => self::mysql_gmt( $this->times['created'] ),
					'post_parent'   => $this->get_parent_id(),
					'post_author'   => 1,
					'post_excerpt'  => $this->get_reason(),
				),
				true
			);
			if ( is_wp_error( $post_id ) ) {
				throw new RuntimeException( 'WooCommerce stand-in: cannot create the refund post: ' . $post_id->get_error_message() );
			}
			$this->id = (int) $post_id;
		}
		$this->data['id'] = $this->id;
		$this->write_internal_meta();
		update_post_meta( $this->id, '_refund_amount', $this->get_amount() );
		update_post_meta( $this->id, '_refund_reason', wp_slash( $this->get_reason() ) );
		update_post_meta( $this->id, '_refunded_by', $this->get_refunded_by() );
		update_post_meta( $this->id, '_refunded_payment', $this->get_refunded_payment() ? 1 : 0 );
		$this->save_meta_data();
		clean_post_cache( $this->id );
		do_action( 'woocommerce_after_order_refund_object_save', $this, null );
		return $this->id;
	}

	/**
	 * All data (REST-shaped).
	 *
	 * @return array
	 */
	public function get_data() {
		$data                 = $this->data;
		$data['id']           = $this->id;
		$data['date_created'] = $this->get_date_created();
		$data['meta_data']    = $this->get_meta_data();
		return $data;
	}
}

if ( ! function_exists( 'wc_get_order_statuses' ) ) {
	/**
	 * Order statuses, keyed with "wc-" (wc_get_order_statuses()).
	 *
	 * @return array<string,string>
	 */
	function wc_get_order_statuses() {
		return apply_filters(
			'wc_order_statuses',
			array(
				'wc-pending'        => 'Pending payment',
				'wc-processing'     => 'Processing',
				'wc-on-hold'        => 'On hold',
				'wc-completed'      => 'Completed',
				'wc-cancelled'      => 'Cancelled',
				'wc-refunded'       => 'Refunded',
				'wc-failed'         => 'Failed',
				'wc-checkout-draft' => 'Draft',
			)
		);
	}
}

if ( ! function_exists( 'wc_get_order_status_name' ) ) {
	/**
	 * A status's label.
	 *
	 * @param string $status Status, with or without "wc-".
	 * @return string
	 */
	function wc_get_order_status_name( $status ) {
		$statuses = wc_get_order_statuses();
		$status   = 'wc-' === substr( $status, 0, 3 ) ? substr( $status, 3 ) : $status;
		return $statuses[ 'wc-' . $status ] ?? $status;
	}
}

if ( ! function_exists( 'wc_get_is_paid_statuses' ) ) {
	/**
	 * Statuses of paid orders.
	 *
	 * @return string[]
	 */
	function wc_get_is_paid_statuses() {
		return apply_filters( 'woocommerce_order_is_paid_statuses', array( 'processing', 'completed' ) );
	}
}

if ( ! function_exists( 'wc_is_order_status' ) ) {
	/**
	 * Whether a "wc-" status exists.
	 *
	 * @param string $maybe_status Status.
	 * @return bool
	 */
	function wc_is_order_status( $maybe_status ) {
		return array_key_exists( $maybe_status, wc_get_order_statuses() );
	}
}

if ( ! function_exists( 'wc_get_order' ) ) {
	/**
	 * An order or refund by ID, or false (wc_get_order()).
	 *
	 * @param int|WP_Post|WC_Standin_Abstract_Order|false $the_order Order.
	 * @return WC_Order|WC_Order_Refund|false
	 */
	function wc_get_order( $the_order = false ) {
		if ( $the_order instanceof WC_Standin_Abstract_Order ) {
			$the_order = $the_order->get_id();
		} elseif ( $the_order instanceof WP_Post ) {
			$the_order = $the_order->ID;
		} elseif ( false === $the_order ) {
			$the_order = get_the_ID();
		}
		$id   = absint( $the_order );
		$type = $id ? get_post_type( $id ) : false;
		if ( 'shop_order' === $type ) {
			$order = WC_Order::read( $id );
			return $order ? $order : false;
		}
		if ( 'shop_order_refund' === $type ) {
			$refund = WC_Order_Refund::read( $id );
			return $refund ? $refund : false;
		}
		return false;
	}
}

if ( ! function_exists( 'wc_get_orders' ) ) {
	/**
	 * Orders (wc_get_orders(), reduced): status, customer (ID or email), billing_email, limit,
	 * page, orderby (date|id|modified), order, return (objects|ids), parent, exclude.
	 *
	 * @param array $args Query.
	 * @return WC_Order[]|int[]
	 */
	function wc_get_orders( $args = array() ) {
		$args   = wp_parse_args(
			$args,
			array(
				'status'        => array_keys( wc_get_order_statuses() ),
				'customer'      => '',
				'billing_email' => '',
				'limit'         => get_option( 'posts_per_page' ),
				'page'          => 1,
				'orderby'       => 'date',
				'order'         => 'DESC',
				'return'        => 'objects',
				'parent'        => '',
				'exclude'       => array(),
			)
		);
		$status = array_map(
			static fn( $s ) => 'wc-' === substr( $s, 0, 3 ) ? $s : 'wc-' . $s,
			(array) $args['status']
		);
		$query  = array(
			'post_type'      => 'shop_order',
			'post_status'    => $status,
			'posts_per_page' => (int) $args['limit'],
			'paged'          => (int) $args['page'],
			'orderby'        => array( 'id' => 'ID', 'modified' => 'modified', 'date' => 'date' )[ $args['orderby'] ] ?? 'date',
			'order'          => $args['order'],
			'fields'         => 'ids',
			'post__not_in'   => (array) $args['exclude'],
			'meta_query'     => array(), // phpcs:ignore WordPress.DB.SlowDBQuery
		);
		if ( '' !== $args['parent'] ) {
			$query['post_parent'] = (int) $args['parent'];
		}
		if ( '' !== $args['customer'] ) {
			$query['meta_query'][] = is_numeric( $args['customer'] )
				? array( 'key' => '_customer_user', 'value' => (int) $args['customer'] )
				: array( 'key' => '_billing_email', 'value' => (string) $args['customer'] );
		}
		if ( '' !== $args['billing_email'] ) {
			$query['meta_query'][] = array( 'key' => '_billing_email', 'value' => (string) $args['billing_email'] );
		}
		$ids = array_map( 'intval', get_posts( $query ) );
		return 'ids' === $args['return'] ? $ids : array_values( array_filter( array_map( 'wc_get_order', $ids ) ) );
	}
}

if ( ! function_exists( 'wc_customer_bought_product' ) ) {
	/**
	 * Whether a customer (by email or user ID) has a paid order with a product (wc_customer_bought_product()).
	 *
	 * @param string $customer_email Email.
	 * @param int    $user_id        User ID.
	 * @param int    $product_id     Product (or variation) ID.
	 * @return bool
	 */
	function wc_customer_bought_product( $customer_email, $user_id, $product_id ) {
		$emails = array();
		if ( $user_id ) {
			$user = get_user_by( 'id', $user_id );
			if ( isset( $user->user_email ) ) {
				$emails[] = $user->user_email;
			}
		}
		if ( is_email( $customer_email ) ) {
			$emails[] = $customer_email;
		}
		$emails = array_map( 'strtolower', array_filter( array_unique( $emails ) ) );
		if ( ! $emails && ! $user_id ) {
			return false;
		}
		foreach ( wc_get_orders( array( 'status' => wc_get_is_paid_statuses(), 'limit' => -1 ) ) as $order ) {
			$matches = ( $user_id && $order->get_customer_id() === (int) $user_id )
				|| in_array( strtolower( $order->get_billing_email() ), $emails, true );
			if ( ! $matches ) {
				continue;
			}
			foreach ( $order->get_items() as $item ) {
				if ( (int) $product_id === $item->get_product_id() || (int) $product_id === $item->get_variation_id() ) {
					return true;
				}
			}
		}
		return false;
	}
}

if ( ! function_exists( 'wc_format_decimal' ) ) {
	/**
	 * A number as a string with $dp decimals (wc_format_decimal(), reduced).
	 *
	 * @param mixed    $number Number.
	 * @param int|bool $dp     Decimals, false to keep.
	 * @return string
	 */
	function wc_format_decimal( $number, $dp = false ) {
		if ( false === $dp ) {
			return (string) $number;
		}
		return number_format( (float) $number, (int) $dp, '.', '' );
	}
}

if ( ! function_exists( 'wc_get_price_decimals' ) ) {
	/**
	 * Price decimals.
	 *
	 * @return int
	 */
	function wc_get_price_decimals() {
		return absint( get_option( 'woocommerce_price_num_decimals', 2 ) );
	}
}

if ( ! function_exists( 'wc_create_refund' ) ) {
	/**
	 * Creates a refund as WooCommerce 7.9's wc_create_refund() does, with its hooks in its order:
	 * woocommerce_create_refund, (refund saved), woocommerce_order_partially_refunded or
	 * woocommerce_order_fully_refunded (then the order goes to "refunded"), the order saved
	 * (woocommerce_update_order), woocommerce_refund_created, woocommerce_order_refunded.
	 * A payment refund (refund_payment) always succeeds here.
	 *
	 * @param array $args amount, reason, order_id, line_items (item_id => qty, refund_total),
	 *                    refund_payment, restock_items.
	 * @return WC_Order_Refund|WP_Error
	 */
	function wc_create_refund( $args = array() ) {
		$args = wp_parse_args(
			$args,
			array(
				'amount'         => 0,
				'reason'         => null,
				'order_id'       => 0,
				'refund_id'      => 0,
				'line_items'     => array(),
				'refund_payment' => false,
				'restock_items'  => false,
			)
		);
		$order = wc_get_order( $args['order_id'] );
		if ( ! $order instanceof WC_Order ) {
			return new WP_Error( 'error', 'Invalid order ID.' );
		}
		$dp        = wc_get_price_decimals();
		$remaining = $order->get_remaining_refund_amount();
		$amount    = round( (float) $args['amount'], $dp );
		if ( 0 > $amount || $amount > $remaining ) {
			return new WP_Error( 'error', 'Invalid refund amount.' );
		}

		$order_data      = $order->standin_raw_data();
		$items_by_id     = array();
		foreach ( $order_data['line_items'] as $index => $item ) {
			$items_by_id[ (int) $item['id'] ] = $index;
		}
		$refund_items    = array();
		$refunded_qty    = 0;
		foreach ( (array) $args['line_items'] as $item_id => $line ) {
			if ( ! isset( $items_by_id[ (int) $item_id ] ) ) {
				continue;
			}
			$item         = $order_data['line_items'][ $items_by_id[ (int) $item_id ] ];
			$qty          = (int) ( $line['qty'] ?? 0 );
			$total        = (float) ( $line['refund_total'] ?? 0 );
			$refunded_qty += $qty;
			$refund_items[] = array(
				'id'           => wc_standin_next_id( 'item' ),
				'name'         => $item['name'],
				'product_id'   => $item['product_id'],
				'variation_id' => $item['variation_id'],
				'quantity'     => -1 * $qty,
				'tax_class'    => $item['tax_class'],
				'subtotal'     => wc_format_decimal( -1 * $total, $dp ),
				'subtotal_tax' => wc_format_decimal( 0, $dp ),
				'total'        => wc_format_decimal( -1 * $total, $dp ),
				'total_tax'    => wc_format_decimal( 0, $dp ),
				'taxes'        => array(),
				'meta_data'    => array( wc_standin_item_meta( '_refunded_item_id', (string) $item['id'] ) ),
				'sku'          => $item['sku'],
				'price'        => $qty ? $total / $qty : 0,
				'image'        => array(
					'id'  => '',
					'src' => '',
				),
				'parent_name'  => null,
			);
		}

		$refund = WC_Order_Refund::standin_create(
			$order->get_id(),
			array(
				'amount'           => wc_format_decimal( $amount, $dp ),
				'reason'           => (string) $args['reason'],
				'refunded_by'      => get_current_user_id(),
				'refunded_payment' => false,
				'line_items'       => $refund_items,
			)
		);
		do_action( 'woocommerce_create_refund', $refund, $args );
		$refund->save();

		if ( $args['refund_payment'] ) {
			$refund->standin_mark_refunded_payment();
		}

		if ( $args['restock_items'] ) {
			foreach ( (array) $args['line_items'] as $item_id => $line ) {
				if ( ! isset( $items_by_id[ (int) $item_id ] ) || empty( $line['qty'] ) ) {
					continue;
				}
				$index = $items_by_id[ (int) $item_id ];
				$qty   = (int) $line['qty'];
				foreach ( $order_data['line_items'][ $index ]['meta_data'] as $m => $meta ) {
					if ( '_reduced_stock' === $meta['key'] ) {
						$order_data['line_items'][ $index ]['meta_data'][ $m ]['value']         = (string) max( 0, (int) $meta['value'] - $qty );
						$order_data['line_items'][ $index ]['meta_data'][ $m ]['display_value'] = $order_data['line_items'][ $index ]['meta_data'][ $m ]['value'];
					}
				}
				$order_data['line_items'][ $index ]['meta_data'][] = wc_standin_item_meta( '_restock_refunded_items', (string) $qty );
			}
			$order->standin_set_raw( array( 'line_items' => $order_data['line_items'] ) );
		}

		if ( ( $remaining - $amount ) > 0 ) {
			do_action( 'woocommerce_order_partially_refunded', $order->get_id(), $refund->get_id() );
		} else {
			do_action( 'woocommerce_order_fully_refunded', $order->get_id(), $refund->get_id() );
			$parent_status = apply_filters( 'woocommerce_order_fully_refunded_status', 'refunded', $order->get_id(), $refund->get_id() );
			if ( $parent_status ) {
				$order->update_status( $parent_status );
			}
		}

		$order->set_date_modified( time() );
		$order->save();

		do_action( 'woocommerce_refund_created', $refund->get_id(), $args );
		do_action( 'woocommerce_order_refunded', $order->get_id(), $refund->get_id() );

		return $refund;
	}
}

/**
 * Internal: next ID for order items and item meta (WooCommerce's woocommerce_order_items and
 * woocommerce_order_itemmeta tables hand these out).
 *
 * @param string $what item or meta.
 * @return int
 */
function wc_standin_next_id( $what ) {
	$ids          = get_option( 'wc_standin_next_ids', array() );
	$ids          = is_array( $ids ) ? $ids : array();
	$next         = (int) ( $ids[ $what ] ?? 1 );
	$ids[ $what ] = $next + 1;
	update_option( 'wc_standin_next_ids', $ids, false );
	return $next;
}

/**
 * Internal: one line item meta entry in the REST shape.
 *
 * @param string $key   Key.
 * @param mixed  $value Value.
 * @return array
 */
function wc_standin_item_meta( $key, $value ) {
	return array(
		'id'            => wc_standin_next_id( 'meta' ),
		'key'           => $key,
		'value'         => $value,
		'display_key'   => $key,
		'display_value' => $value,
	);
}

/**
 * Path of a recorded payload.
 *
 * @param string $name File name, e.g. order_created.json.
 * @return string
 */
function wc_standin_fixture_path( $name ) {
	return dirname( __DIR__, 3 ) . '/tests/fixtures/woocommerce/' . $name;
}

/**
 * A recorded payload, decoded.
 *
 * @param string $name File name, e.g. order_created.json.
 * @return array
 * @throws RuntimeException When missing.
 */
function wc_standin_fixture( $name ) {
	static $cache = array();
	if ( ! isset( $cache[ $name ] ) ) {
		$path = wc_standin_fixture_path( $name );
		$data = is_readable( $path ) ? json_decode( (string) file_get_contents( $path ), true ) : null; // phpcs:ignore WordPress.WP.AlternativeFunctions
		if ( ! is_array( $data ) ) {
			throw new RuntimeException( "WooCommerce stand-in: cannot read the recorded payload $path" );
		}
		$cache[ $name ] = $data;
	}
	return $cache[ $name ];
}

/**
 * TEST HELPER: creates an order the way WooCommerce does (a shop_order post, then
 * woocommerce_new_order with ($order_id, $order)), starting from the recorded
 * order_created.json.
 *
 * $args (all optional; REST API field names):
 * - status:        initial status (default "processing"; "pending" when set_paid)
 * - set_paid:      create it "pending" and then mark it paid as WooCommerce's REST API does with
 *                  set_paid (payment_complete(): woocommerce_order_status_changed pending →
 *                  processing, woocommerce_payment_complete)
 * - customer_id, parent_id, currency, customer_note, payment_method, payment_method_title,
 *   transaction_id, created_via: as in the REST API
 * - billing, shipping: merged over the recorded addresses
 * - line_items:    [['product_id' => ID, 'quantity' => 1, 'price' => 25.0, 'name' => ?, 'sku' => ?]]
 *                  (name, sku and price default to the product's); totals are computed, no coupon.
 *                  Without line_items the recorded item, coupon and totals are kept.
 * - shipping_total: flat-rate shipping amount (default the recorded "5.00")
 * - meta_data:     [['key' => ..., 'value' => ...]]
 * - date_created:  Unix timestamp or date string (UTC) to backdate the order
 *
 * @param array $args See above.
 * @return WC_Order
 * @throws InvalidArgumentException For unknown arguments.
 */
function wc_standin_create_order( array $args = array() ) {
	$known = array( 'status', 'set_paid', 'customer_id', 'parent_id', 'currency', 'customer_note', 'payment_method', 'payment_method_title', 'transaction_id', 'created_via', 'billing', 'shipping', 'line_items', 'shipping_total', 'meta_data', 'date_created' );
	$bad   = array_diff( array_keys( $args ), $known );
	if ( $bad ) {
		throw new InvalidArgumentException( 'wc_standin_create_order(): unknown argument(s) ' . implode( ', ', $bad ) . '; known: ' . implode( ', ', $known ) );
	}

	$dp   = wc_get_price_decimals();
	$data = wc_standin_fixture( 'order_created.json' );
	unset( $data['_links'], $data['meta_data'], $data['refunds'], $data['date_created'], $data['date_modified'], $data['date_completed'], $data['date_paid'], $data['date_created_gmt'], $data['date_modified_gmt'], $data['date_completed_gmt'], $data['date_paid_gmt'], $data['payment_url'], $data['currency_symbol'] );
	$data['id']          = 0;
	$data['status']      = '';
	$data['version']     = WC()->version;
	$data['order_key']   = 'wc_order_' . wp_generate_password( 13, false );
	$data['customer_id'] = 0;

	foreach ( array( 'customer_id', 'parent_id' ) as $int_field ) {
		if ( isset( $args[ $int_field ] ) ) {
			$data[ $int_field ] = (int) $args[ $int_field ];
		}
	}
	foreach ( array( 'currency', 'customer_note', 'payment_method', 'payment_method_title', 'transaction_id', 'created_via' ) as $field ) {
		if ( isset( $args[ $field ] ) ) {
			$data[ $field ] = (string) $args[ $field ];
		}
	}
	foreach ( array( 'billing', 'shipping' ) as $address ) {
		if ( isset( $args[ $address ] ) ) {
			$data[ $address ] = array_merge( $data[ $address ], array_map( 'strval', (array) $args[ $address ] ) );
		}
	}

	// Fresh item IDs, as every order gets its own rows.
	$shipping_total = isset( $args['shipping_total'] ) ? (float) $args['shipping_total'] : (float) $data['shipping_total'];
	foreach ( $data['shipping_lines'] as $i => $line ) {
		$data['shipping_lines'][ $i ]['id']    = wc_standin_next_id( 'item' );
		$data['shipping_lines'][ $i ]['total'] = wc_format_decimal( $shipping_total, $dp );
	}
	$data['shipping_total'] = wc_format_decimal( $shipping_total, $dp );

	if ( isset( $args['line_items'] ) ) {
		$items    = array();
		$subtotal = 0.0;
		foreach ( $args['line_items'] as $line ) {
			$product_id = (int) ( $line['product_id'] ?? 0 );
			$product    = $product_id ? wc_get_product( $product_id ) : false;
			$qty        = (int) ( $line['quantity'] ?? 1 );
			$price      = isset( $line['price'] ) ? (float) $line['price'] : ( $product && '' !== $product->get_price() ? (float) $product->get_price() : 25.0 );
			$line_total = $price * $qty;
			$subtotal  += $line_total;
			$items[]    = array(
				'id'           => wc_standin_next_id( 'item' ),
				'name'         => (string) ( $line['name'] ?? ( $product ? $product->get_name() : 'Product ' . $product_id ) ),
				'product_id'   => $product_id,
				'variation_id' => (int) ( $line['variation_id'] ?? 0 ),
				'quantity'     => $qty,
				'tax_class'    => '',
				'subtotal'     => wc_format_decimal( $line_total, $dp ),
				'subtotal_tax' => wc_format_decimal( 0, $dp ),
				'total'        => wc_format_decimal( $line_total, $dp ),
				'total_tax'    => wc_format_decimal( 0, $dp ),
				'taxes'        => array(),
				'meta_data'    => array( wc_standin_item_meta( '_reduced_stock', (string) $qty ) ),
				'sku'          => (string) ( $line['sku'] ?? ( $product ? $product->get_sku() : '' ) ),
				'price'        => $price,
				'image'        => array(
					'id'  => '',
					'src' => '',
				),
				'parent_name'  => null,
			);
		}
		$data['line_items']     = $items;
		$data['coupon_lines']   = array();
		$data['discount_total'] = wc_format_decimal( 0, $dp );
		$data['discount_tax']   = wc_format_decimal( 0, $dp );
		$data['total']          = wc_format_decimal( $subtotal + $shipping_total, $dp );
	} else {
		foreach ( $data['line_items'] as $i => $line ) {
			$data['line_items'][ $i ]['id'] = wc_standin_next_id( 'item' );
			foreach ( $line['meta_data'] as $m => $meta ) {
				$data['line_items'][ $i ]['meta_data'][ $m ]['id'] = wc_standin_next_id( 'meta' );
			}
		}
		foreach ( $data['coupon_lines'] as $i => $line ) {
			$data['coupon_lines'][ $i ]['id'] = wc_standin_next_id( 'item' );
			foreach ( $line['meta_data'] as $m => $meta ) {
				$data['coupon_lines'][ $i ]['meta_data'][ $m ]['id'] = wc_standin_next_id( 'meta' );
			}
		}
		$data['total'] = wc_format_decimal( (float) $data['total'] - 5.0 + $shipping_total, $dp );
	}

	$times = array();
	if ( isset( $args['date_created'] ) ) {
		$times['created'] = is_numeric( $args['date_created'] ) ? (int) $args['date_created'] : (int) strtotime( $args['date_created'] . ( preg_match( '/(Z|[+-]\d\d:?\d\d|UTC)$/', $args['date_created'] ) ? '' : ' UTC' ) );
	}

	$set_paid = ! empty( $args['set_paid'] );
	$status   = $args['status'] ?? ( $set_paid ? 'pending' : 'processing' );
	$data['is_editable']   = in_array( $status, array( 'pending', 'on-hold', 'auto-draft' ), true );
	$data['needs_payment'] = in_array( $status, array( 'pending', 'failed' ), true ) && (float) $data['total'] > 0;

	$order = new WC_Order();
	$order->standin_set_raw( $data, $times );
	$order->set_status( $status );
	foreach ( (array) ( $args['meta_data'] ?? array() ) as $meta ) {
		$order->add_meta_data( $meta['key'], $meta['value'] );
	}
	$order->save();

	if ( $set_paid ) {
		$order->payment_complete( (string) ( $args['transaction_id'] ?? '' ) );
	}
	return wc_get_order( $order->get_id() );
}

/**
 * TEST HELPER: changes an order's status as WooCommerce does ($order->update_status()): the order
 * is saved (woocommerce_update_order), then woocommerce_order_status_{to}, an order note,
 * woocommerce_order_status_{from}_to_{to} and woocommerce_order_status_changed
 * ($id, $from, $to, $order) fire.
 *
 * @param int    $order_id Order.
 * @param string $to       New status (completed, cancelled, on-hold, ...).
 * @param string $note     Note added with the change.
 * @return WC_Order
 * @throws InvalidArgumentException For an unknown order.
 */
function wc_standin_update_order_status( $order_id, $to, $note = '' ) {
	$order = wc_get_order( $order_id );
	if ( ! $order instanceof WC_Order ) {
		throw new InvalidArgumentException( "wc_standin_update_order_status(): no order $order_id" );
	}
	$order->update_status( $to, $note );
	return wc_get_order( $order_id );
}

/**
 * TEST HELPER: refunds an order through wc_create_refund() (see its hooks there).
 *
 * $args: amount (required), reason, line_items ([item_id => ['qty' => 1, 'refund_total' => 10.0]]),
 * restock_items, refund_payment. Use $order->get_items() for item IDs.
 *
 * @param int   $order_id Order.
 * @param array $args     See above.
 * @return WC_Order_Refund
 * @throws RuntimeException When WooCommerce would refuse (e.g. more than what remains).
 */
function wc_standin_refund_order( $order_id, array $args ) {
	$refund = wc_create_refund( array_merge( $args, array( 'order_id' => $order_id ) ) );
	if ( is_wp_error( $refund ) ) {
		throw new RuntimeException( 'wc_create_refund() failed: ' . $refund->get_error_message() );
	}
	return $refund;
}
