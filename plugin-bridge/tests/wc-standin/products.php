<?php
/**
 * WooCommerce stand-in (tests only): simple products, following
 * includes/abstracts/abstract-wc-product.php, includes/data-stores/class-wc-product-data-store-cpt.php
 * (a product post with its _sku/_price/... meta and a product_type term; comments open for
 * reviews) and wc_get_product() of WooCommerce 7.9, reduced to what the bridge may read.
 */

defined( 'ABSPATH' ) || exit;

/**
 * A product (WC_Product, simple products only).
 */
class WC_Product {

	/**
	 * The product post.
	 *
	 * @var WP_Post
	 */
	protected $post;

	/**
	 * Constructor.
	 *
	 * @param WP_Post $post Product post.
	 */
	public function __construct( WP_Post $post ) {
		$this->post = $post;
	}

	/** @return int */
	public function get_id() {
		return (int) $this->post->ID;
	}

	/** @return string */
	public function get_name() {
		return (string) $this->post->post_title;
	}

	/** @return string */
	public function get_title() {
		return get_the_title( $this->post );
	}

	/** @return string */
	public function get_slug() {
		return (string) $this->post->post_name;
	}

	/** @return string */
	public function get_status() {
		return (string) $this->post->post_status;
	}

	/** @return string */
	public function get_type() {
		$terms = get_the_terms( $this->post, 'product_type' );
		return $terms && ! is_wp_error( $terms ) ? $terms[0]->slug : 'simple';
	}

	/** @return string */
	public function get_permalink() {
		return (string) get_permalink( $this->post );
	}

	/** @return string */
	public function get_sku() {
		return (string) get_post_meta( $this->post->ID, '_sku', true );
	}

	/** @return string */
	public function get_price() {
		return (string) get_post_meta( $this->post->ID, '_price', true );
	}

	/** @return string */
	public function get_regular_price() {
		return (string) get_post_meta( $this->post->ID, '_regular_price', true );
	}

	/** @return bool */
	public function get_reviews_allowed() {
		return 'open' === $this->post->comment_status;
	}

	/** @return string */
	public function get_average_rating() {
		return (string) get_post_meta( $this->post->ID, '_wc_average_rating', true );
	}

	/** @return int */
	public function get_review_count() {
		return (int) get_post_meta( $this->post->ID, '_wc_review_count', true );
	}

	/** @return int */
	public function get_rating_count() {
		$counts = get_post_meta( $this->post->ID, '_wc_rating_count', true );
		return is_array( $counts ) ? array_sum( $counts ) : 0;
	}

	/** @return bool */
	public function exists() {
		return 'product' === get_post_type( $this->post );
	}

	/**
	 * Product meta.
	 *
	 * @param string $key    Key.
	 * @param bool   $single Single value.
	 * @return mixed
	 */
	public function get_meta( $key, $single = true ) {
		return get_post_meta( $this->post->ID, $key, $single );
	}
}

if ( ! function_exists( 'wc_get_product' ) ) {
	/**
	 * A product by ID, or false (wc_get_product()).
	 *
	 * @param int|WP_Post|WC_Product|false $the_product Product.
	 * @return WC_Product|false
	 */
	function wc_get_product( $the_product = false ) {
		if ( $the_product instanceof WC_Product ) {
			$the_product = $the_product->get_id();
		}
		if ( false === $the_product ) {
			$the_product = get_the_ID();
		}
		$post = get_post( $the_product );
		return ( $post && 'product' === $post->post_type ) ? new WC_Product( $post ) : false;
	}
}

if ( ! function_exists( 'wc_review_ratings_enabled' ) ) {
	/**
	 * Whether star ratings are on for reviews.
	 *
	 * @return bool
	 */
	function wc_review_ratings_enabled() {
		return 'yes' === get_option( 'woocommerce_enable_reviews', 'yes' ) && 'yes' === get_option( 'woocommerce_enable_review_rating', 'yes' );
	}
}

if ( ! function_exists( 'wc_review_ratings_required' ) ) {
	/**
	 * Whether a star rating is required.
	 *
	 * @return bool
	 */
	function wc_review_ratings_required() {
		return 'yes' === get_option( 'woocommerce_review_rating_required', 'yes' );
	}
}

/**
 * TEST HELPER: creates a published simple product as WooCommerce's product data store does
 * (a "product" post open for reviews, _sku/_price/_regular_price/_stock_status meta, the
 * "simple" product_type term), then fires woocommerce_new_product ($id, $product).
 *
 * @param string $name Product name.
 * @param array  $args price (default "25.00"), sku (default derived from the name), status
 *                     (publish), reviews_allowed (true), post_author (1).
 * @return WC_Product
 * @throws RuntimeException When the post cannot be created.
 */
function wc_standin_create_product( $name, array $args = array() ) {
	$args = array_merge(
		array(
			'price'           => '25.00',
			'sku'             => strtoupper( substr( sanitize_title( $name ), 0, 20 ) ),
			'status'          => 'publish',
			'reviews_allowed' => true,
			'post_author'     => 1,
		),
		$args
	);
	$id   = wp_insert_post(
		array(
			'post_type'      => 'product',
			'post_title'     => $name,
			'post_status'    => $args['status'],
			'post_author'    => (int) $args['post_author'],
			'post_content'   => '',
			'comment_status' => $args['reviews_allowed'] ? 'open' : 'closed',
			'ping_status'    => 'closed',
		),
		true
	);
	if ( is_wp_error( $id ) ) {
		throw new RuntimeException( 'wc_standin_create_product(): ' . $id->get_error_message() );
	}
	$price = wc_format_decimal( $args['price'], wc_get_price_decimals() );
	update_post_meta( $id, '_sku', $args['sku'] );
	update_post_meta( $id, '_regular_price', $price );
	update_post_meta( $id, '_price', $price );
	update_post_meta( $id, '_stock_status', 'instock' );
	update_post_meta( $id, '_manage_stock', 'no' );
	update_post_meta( $id, '_wc_average_rating', '0' );
	update_post_meta( $id, '_wc_review_count', '0' );
	update_post_meta( $id, '_wc_rating_count', array() );
	wp_set_object_terms( $id, 'simple', 'product_type' );
	$product = wc_get_product( $id );
	do_action( 'woocommerce_new_product', $id, $product );
	return $product;
}
