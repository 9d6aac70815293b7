<?php
/**
 * WooCommerce stand-in (tests only): post types, order statuses and taxonomies, following
 * includes/class-wc-post-types.php and wc_register_order_type() of WooCommerce 7.9 (orders
 * stored as posts, WooCommerce 7.9's default; HPOS was not the default before 8.2).
 */

defined( 'ABSPATH' ) || exit;

/**
 * Registers what WC_Post_Types registers, reduced to what the bridge can observe.
 */
class WC_Standin_Post_Types {

	/**
	 * Hooks, with WooCommerce's priorities.
	 */
	public static function init() {
		add_action( 'init', array( __CLASS__, 'register_taxonomies' ), 5 );
		add_action( 'init', array( __CLASS__, 'register_post_types' ), 5 );
		add_action( 'init', array( __CLASS__, 'register_post_status' ), 9 );
	}

	/**
	 * product_type, product_cat, product_tag.
	 */
	public static function register_taxonomies() {
		if ( taxonomy_exists( 'product_type' ) ) {
			return;
		}
		register_taxonomy(
			'product_type',
			array( 'product' ),
			array(
				'hierarchical'      => false,
				'show_ui'           => false,
				'show_in_nav_menus' => false,
				'query_var'         => is_admin(),
				'rewrite'           => false,
				'public'            => false,
				'label'             => 'Product type',
			)
		);
		register_taxonomy(
			'product_cat',
			array( 'product' ),
			array(
				'hierarchical'          => true,
				'update_count_callback' => '_update_post_term_count',
				'label'                 => 'Categories',
				'show_in_rest'          => true,
				'show_ui'               => true,
				'query_var'             => true,
				'capabilities'          => array(
					'manage_terms' => 'manage_product_terms',
					'edit_terms'   => 'edit_product_terms',
					'delete_terms' => 'delete_product_terms',
					'assign_terms' => 'assign_product_terms',
				),
				'rewrite'               => array(
					'slug'         => 'product-category',
					'with_front'   => false,
					'hierarchical' => true,
				),
			)
		);
		register_taxonomy(
			'product_tag',
			array( 'product' ),
			array(
				'hierarchical'          => false,
				'update_count_callback' => '_update_post_term_count',
				'label'                 => 'Product tags',
				'show_in_rest'          => true,
				'show_ui'               => true,
				'query_var'             => true,
				'capabilities'          => array(
					'manage_terms' => 'manage_product_terms',
					'edit_terms'   => 'edit_product_terms',
					'delete_terms' => 'delete_product_terms',
					'assign_terms' => 'assign_product_terms',
				),
				'rewrite'               => array(
					'slug'       => 'product-tag',
					'with_front' => false,
				),
			)
		);
		foreach ( array( 'simple', 'grouped', 'variable', 'external' ) as $type ) {
			if ( ! get_term_by( 'slug', $type, 'product_type' ) && ! wp_installing() ) {
				wp_insert_term( $type, 'product_type' );
			}
		}
	}

	/**
	 * product, shop_order, shop_order_refund.
	 */
	public static function register_post_types() {
		if ( post_type_exists( 'product' ) ) {
			return;
		}
		$supports = array( 'title', 'editor', 'excerpt', 'thumbnail', 'custom-fields', 'publicize', 'wpcom-markdown' );
		if ( 'yes' === get_option( 'woocommerce_enable_reviews', 'yes' ) ) {
			$supports[] = 'comments';
		}
		register_post_type(
			'product',
			array(
				'labels'              => array(
					'name'          => 'Products',
					'singular_name' => 'Product',
				),
				'description'         => 'This is where you can browse products in this store.',
				'public'              => true,
				'show_ui'             => true,
				'capability_type'     => 'product',
				'map_meta_cap'        => true,
				'publicly_queryable'  => true,
				'exclude_from_search' => false,
				'hierarchical'        => false,
				'rewrite'             => array(
					'slug'       => 'product',
					'with_front' => false,
					'feeds'      => true,
				),
				'query_var'           => true,
				'supports'            => $supports,
				'has_archive'         => false,
				'show_in_nav_menus'   => true,
				'show_in_rest'        => true,
			)
		);

		// wc_register_order_type( 'shop_order', ... ).
		register_post_type(
			'shop_order',
			array(
				'labels'              => array(
					'name'          => 'Orders',
					'singular_name' => 'Order',
				),
				'description'         => 'This is where store orders are stored.',
				'public'              => false,
				'show_ui'             => true,
				'capability_type'     => 'shop_order',
				'map_meta_cap'        => true,
				'publicly_queryable'  => false,
				'exclude_from_search' => true,
				'show_in_menu'        => false,
				'hierarchical'        => false,
				'show_in_nav_menus'   => false,
				'rewrite'             => false,
				'query_var'           => false,
				'supports'            => array( 'title', 'comments', 'custom-fields' ),
				'has_archive'         => false,
			)
		);

		// wc_register_order_type( 'shop_order_refund', ... ).
		register_post_type(
			'shop_order_refund',
			array(
				'label'               => 'Refunds',
				'capability_type'     => 'shop_order',
				'public'              => false,
				'hierarchical'        => false,
				'supports'            => false,
				'exclude_from_search' => true,
				'rewrite'             => false,
				'query_var'           => false,
			)
		);
	}

	/**
	 * The wc-* order statuses (wc_get_order_statuses()).
	 */
	public static function register_post_status() {
		foreach ( wc_get_order_statuses() as $status => $label ) {
			register_post_status(
				$status,
				array(
					'label'                     => $label,
					'public'                    => false,
					'exclude_from_search'       => false,
					'show_in_admin_all_list'    => true,
					'show_in_admin_status_list' => true,
				)
			);
		}
	}
}
