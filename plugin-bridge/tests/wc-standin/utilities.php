<?php
/**
 * WooCommerce stand-in (tests only): the feature-compatibility API plugins call on
 * before_woocommerce_init, following src/Utilities/FeaturesUtil.php and
 * src/Internal/Features/FeaturesController.php::declare_compatibility(), and
 * src/Utilities/OrderUtil.php (orders are posts here, so custom order tables are off).
 */

namespace Automattic\WooCommerce\Utilities;

defined( 'ABSPATH' ) || exit;

/**
 * FeaturesUtil.
 */
class FeaturesUtil {

	/**
	 * Declarations: feature => plugin basename => compatible.
	 *
	 * @var array<string,array<string,bool>>
	 */
	private static $declarations = array();

	/**
	 * Declares (in)compatibility of a plugin with a feature; only inside before_woocommerce_init.
	 *
	 * @param string $feature_id             Feature, e.g. custom_order_tables.
	 * @param string $plugin_file            Plugin main file.
	 * @param bool   $positive_compatibility Compatible.
	 * @return bool
	 */
	public static function declare_compatibility( string $feature_id, string $plugin_file, bool $positive_compatibility = true ): bool {
		if ( ! doing_action( 'before_woocommerce_init' ) ) {
			_doing_it_wrong( __METHOD__, 'should be called inside the before_woocommerce_init action.', '7.0' );
			return false;
		}
		self::$declarations[ $feature_id ][ plugin_basename( $plugin_file ) ] = $positive_compatibility;
		return true;
	}

	/**
	 * TEST HELPER: what plugins declared.
	 *
	 * @return array<string,array<string,bool>>
	 */
	public static function standin_declarations(): array {
		return self::$declarations;
	}
}

/**
 * OrderUtil.
 */
class OrderUtil {

	/**
	 * Whether orders live in WooCommerce's own tables (HPOS); not in the stand-in (7.9 default).
	 *
	 * @return bool
	 */
	public static function custom_orders_table_usage_is_enabled(): bool {
		return false;
	}

	/**
	 * The order post type of an ID, or null.
	 *
	 * @param int|\WP_Post|\WC_Order $order Order.
	 * @return string|null
	 */
	public static function get_order_type( $order ) {
		$id   = is_object( $order ) && method_exists( $order, 'get_id' ) ? $order->get_id() : ( $order instanceof \WP_Post ? $order->ID : (int) $order );
		$type = get_post_type( $id );
		return in_array( $type, array( 'shop_order', 'shop_order_refund' ), true ) ? $type : null;
	}
}
