<?php
/**
 * WooCommerce stand-in for the CrisisDesk bridge's tests. NOT WooCommerce; tests only.
 *
 * WooCommerce cannot be installed on the test machines (no internet), so this imitates the small
 * part of WooCommerce 7.9 (the version the payloads in tests/fixtures/woocommerce/ were recorded
 * from, on WordPress 6.1.9) that the bridge touches, following WooCommerce's own code:
 *
 * - woocommerce.php / includes/class-woocommerce.php: class WooCommerce with $version, WC(),
 *   WC_VERSION, WC_PLUGIN_FILE, the woocommerce_loaded / before_woocommerce_init /
 *   woocommerce_init actions, WC()->api->get_endpoint_data() (includes/class-wc-api.php);
 * - includes/class-wc-install.php: the roles and capabilities (create_roles(),
 *   get_core_capabilities()) and the review options;
 * - includes/class-wc-post-types.php: the product / shop_order / shop_order_refund post types,
 *   the wc-* order statuses, the product_type / product_cat / product_tag taxonomies
 *   (see post-types.php);
 * - includes/class-wc-order.php, abstracts/abstract-wc-order.php, class-wc-order-refund.php,
 *   data-stores/class-wc-order-data-store-cpt.php, wc-order-functions.php (wc_get_order,
 *   wc_create_refund): orders stored as shop_order posts as WooCommerce 7.9 does by default,
 *   with the hooks WooCommerce fires in the same order (see orders.php);
 * - src/Utilities/FeaturesUtil.php, OrderUtil.php: feature compatibility declarations
 *   (see utilities.php);
 * - includes/class-wc-comments.php: review type, rating meta on comment_post at priority 1,
 *   verified-owner meta, order notes hidden from comment queries (see comments.php);
 * - packages/action-scheduler (Action Scheduler 3.6, bundled with WooCommerce): its as_* API
 *   (see action-scheduler.php);
 * - includes/rest-api/Controllers/Version3/class-wc-rest-orders-controller.php (through
 *   class-wc-rest-crud-controller.php) and class-wc-rest-product-reviews-controller.php,
 *   includes/wc-rest-functions.php: the /wc/v3 routes the bridge reads (see rest.php).
 *
 * Installed by tests/lib/site.php as wp-content/plugins/woocommerce/woocommerce.php (a file that
 * defines WC_PLUGIN_FILE and requires this one) and activated before the bridge, so it loads
 * where WooCommerce would: after plugins whose path sorts before "woocommerce/", i.e. AFTER
 * crisisdesk-bridge/. Test-only helpers are named wc_standin_*.
 */

defined( 'ABSPATH' ) || exit;

defined( 'WC_PLUGIN_FILE' ) || define( 'WC_PLUGIN_FILE', __FILE__ );

require_once __DIR__ . '/class-wc-datetime.php';
require_once __DIR__ . '/post-types.php';
require_once __DIR__ . '/orders.php';
require_once __DIR__ . '/action-scheduler.php';
require_once __DIR__ . '/products.php';
require_once __DIR__ . '/comments.php';
require_once __DIR__ . '/rest.php';
require_once __DIR__ . '/utilities.php';

/**
 * The main WooCommerce class, as far as plugins look at it.
 */
final class WooCommerce {

	/**
	 * WooCommerce version. The recorded payloads come from 7.9.0; a test may define
	 * CRISISDESK_WC_STANDIN_VERSION (wp-config.php or before WordPress loads) to pretend another.
	 *
	 * @var string
	 */
	public $version = '7.9.0';

	/**
	 * The API object (WC_API in WooCommerce).
	 *
	 * @var WC_Standin_API
	 */
	public $api;

	/**
	 * Instance.
	 *
	 * @var WooCommerce|null
	 */
	protected static $instance = null;

	/**
	 * The one instance.
	 *
	 * @return WooCommerce
	 */
	public static function instance() {
		if ( null === self::$instance ) {
			self::$instance = new self();
		}
		return self::$instance;
	}

	/**
	 * As WooCommerce::__construct(): constants, hooks, then woocommerce_loaded.
	 */
	private function __construct() {
		if ( defined( 'CRISISDESK_WC_STANDIN_VERSION' ) ) {
			$this->version = (string) CRISISDESK_WC_STANDIN_VERSION;
		}
		defined( 'WC_VERSION' ) || define( 'WC_VERSION', $this->version );
		defined( 'WC_ABSPATH' ) || define( 'WC_ABSPATH', dirname( WC_PLUGIN_FILE ) . '/' );
		defined( 'WC_PLUGIN_BASENAME' ) || define( 'WC_PLUGIN_BASENAME', plugin_basename( WC_PLUGIN_FILE ) );

		$this->api = new WC_Standin_API();

		register_activation_hook( WC_PLUGIN_FILE, array( 'WC_Standin_Install', 'install' ) );
		add_action( 'init', array( $this, 'init' ), 0 );
		add_action( 'init', array( 'WC_Standin_Install', 'check_roles' ), 1 );
		WC_Standin_Post_Types::init();
		WC_Standin_Comments::init();
		WC_Standin_REST::init();

		do_action( 'woocommerce_loaded' );
	}

	/**
	 * As WooCommerce::init() on init priority 0.
	 */
	public function init() {
		do_action( 'before_woocommerce_init' );
		do_action( 'woocommerce_init' );
	}

	/**
	 * Plugin path.
	 *
	 * @return string
	 */
	public function plugin_path() {
		return untrailingslashit( plugin_dir_path( WC_PLUGIN_FILE ) );
	}

	/**
	 * Plugin URL.
	 *
	 * @return string
	 */
	public function plugin_url() {
		return untrailingslashit( plugins_url( '/', WC_PLUGIN_FILE ) );
	}
}

/**
 * WC()->api: only get_endpoint_data(), as in includes/class-wc-api.php (WooCommerce 3.7 to 9.0).
 */
class WC_Standin_API {

	/**
	 * Get data from a WooCommerce API endpoint through an internal REST request (with the
	 * current user's permissions), decoded from JSON as WooCommerce does.
	 *
	 * @param string $endpoint Endpoint, e.g. /wc/v3/orders/12.
	 * @param array  $params   Query parameters.
	 * @return array|WP_Error
	 */
	public function get_endpoint_data( $endpoint, $params = array() ) {
		$request = new WP_REST_Request( 'GET', $endpoint );
		if ( $params ) {
			$request->set_query_params( $params );
		}
		$response = rest_do_request( $request );
		$server   = rest_get_server();
		$json     = wp_json_encode( $server->response_to_data( $response, false ) );
		return json_decode( $json, true );
	}
}

/**
 * What WooCommerce's installer sets up that the bridge can see: roles, capabilities, options.
 */
class WC_Standin_Install {

	/**
	 * Activation (WC_Install::install(), reduced).
	 */
	public static function install() {
		self::create_roles();
		foreach ( self::default_options() as $name => $value ) {
			add_option( $name, $value );
		}
		update_option( 'woocommerce_version', WC()->version );
		update_option( 'woocommerce_db_version', WC()->version );
	}

	/**
	 * Options WooCommerce's settings API creates with these defaults.
	 *
	 * @return array<string,string>
	 */
	public static function default_options() {
		return array(
			'woocommerce_currency'                             => 'USD',
			'woocommerce_enable_reviews'                       => 'yes',
			'woocommerce_review_rating_verification_label'     => 'yes',
			'woocommerce_review_rating_verification_required'  => 'no',
			'woocommerce_enable_review_rating'                 => 'yes',
			'woocommerce_review_rating_required'               => 'yes',
			'woocommerce_custom_orders_table_enabled'          => 'no',
		);
	}

	/**
	 * Creates the roles if a test (or a site made without activation) lacks them.
	 */
	public static function check_roles() {
		$admin = get_role( 'administrator' );
		if ( ! get_role( 'customer' ) || ( $admin && ! $admin->has_cap( 'manage_woocommerce' ) ) ) {
			self::create_roles();
		}
	}

	/**
	 * WC_Install::create_roles(): customer, shop_manager, and WooCommerce's capabilities for
	 * shop_manager and administrator.
	 */
	public static function create_roles() {
		global $wp_roles;
		if ( ! class_exists( 'WP_Roles' ) ) {
			return;
		}
		if ( ! isset( $wp_roles ) ) {
			$wp_roles = new WP_Roles(); // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		}

		add_role( 'customer', 'Customer', array( 'read' => true ) );
		add_role(
			'shop_manager',
			'Shop manager',
			array(
				'level_9'                => true,
				'level_8'                => true,
				'level_7'                => true,
				'level_6'                => true,
				'level_5'                => true,
				'level_4'                => true,
				'level_3'                => true,
				'level_2'                => true,
				'level_1'                => true,
				'level_0'                => true,
				'read'                   => true,
				'read_private_pages'     => true,
				'read_private_posts'     => true,
				'edit_posts'             => true,
				'edit_pages'             => true,
				'edit_published_posts'   => true,
				'edit_published_pages'   => true,
				'edit_private_pages'     => true,
				'edit_private_posts'     => true,
				'edit_others_posts'      => true,
				'edit_others_pages'      => true,
				'publish_posts'          => true,
				'publish_pages'          => true,
				'delete_posts'           => true,
				'delete_pages'           => true,
				'delete_private_pages'   => true,
				'delete_private_posts'   => true,
				'delete_published_pages' => true,
				'delete_published_posts' => true,
				'delete_others_posts'    => true,
				'delete_others_pages'    => true,
				'manage_categories'      => true,
				'manage_links'           => true,
				'moderate_comments'      => true,
				'upload_files'           => true,
				'export'                 => true,
				'import'                 => true,
				'list_users'             => true,
				'edit_theme_options'     => true,
			)
		);

		foreach ( self::get_core_capabilities() as $cap_group ) {
			foreach ( $cap_group as $cap ) {
				$wp_roles->add_cap( 'shop_manager', $cap );
				$wp_roles->add_cap( 'administrator', $cap );
			}
		}
	}

	/**
	 * WC_Install::get_core_capabilities().
	 *
	 * @return array<string,string[]>
	 */
	public static function get_core_capabilities() {
		$capabilities         = array();
		$capabilities['core'] = array( 'manage_woocommerce', 'view_woocommerce_reports' );
		foreach ( array( 'product', 'shop_order', 'shop_coupon' ) as $capability_type ) {
			$capabilities[ $capability_type ] = array(
				"edit_{$capability_type}",
				"read_{$capability_type}",
				"delete_{$capability_type}",
				"edit_{$capability_type}s",
				"edit_others_{$capability_type}s",
				"publish_{$capability_type}s",
				"read_private_{$capability_type}s",
				"delete_{$capability_type}s",
				"delete_private_{$capability_type}s",
				"delete_published_{$capability_type}s",
				"delete_others_{$capability_type}s",
				"edit_private_{$capability_type}s",
				"edit_published_{$capability_type}s",
				"manage_{$capability_type}_terms",
				"edit_{$capability_type}_terms",
				"delete_{$capability_type}_terms",
				"assign_{$capability_type}_terms",
			);
		}
		return $capabilities;
	}
}

/**
 * The WooCommerce instance.
 *
 * @return WooCommerce
 */
function WC() { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName.FunctionNameInvalid
	return WooCommerce::instance();
}

$GLOBALS['woocommerce'] = WC();
