<?php
/**
 * Plugin Name:       CrisisDesk Bridge
 * Plugin URI:        https://github.com/crisisdesk/crisisdesk
 * Description:       Sends WooCommerce order and product review events to CrisisDesk, posts the shop's public replies under reviews, shows open and overdue cases on the dashboard, and holds WooCommerce's review request while a customer has an open case.
 * Version:           1.0.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            CrisisDesk
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       crisisdesk-bridge
 * Domain Path:       /languages
 * WC requires at least: 7.0
 * WC tested up to:   10.8
 *
 * @package CrisisDesk_Bridge
 */

defined( 'ABSPATH' ) || exit;

define( 'CRISISDESK_BRIDGE_VERSION', '1.0.0' );
define( 'CRISISDESK_BRIDGE_FILE', __FILE__ );
define( 'CRISISDESK_BRIDGE_DIR', plugin_dir_path( __FILE__ ) );

require_once CRISISDESK_BRIDGE_DIR . 'includes/class-crisisdesk-config.php';
require_once CRISISDESK_BRIDGE_DIR . 'includes/class-crisisdesk-signature.php';
require_once CRISISDESK_BRIDGE_DIR . 'includes/class-crisisdesk-schema.php';
require_once CRISISDESK_BRIDGE_DIR . 'includes/class-crisisdesk-queue.php';
require_once CRISISDESK_BRIDGE_DIR . 'includes/class-crisisdesk-resources.php';
require_once CRISISDESK_BRIDGE_DIR . 'includes/class-crisisdesk-event-hooks.php';
require_once CRISISDESK_BRIDGE_DIR . 'includes/class-crisisdesk-service-client.php';
require_once CRISISDESK_BRIDGE_DIR . 'includes/class-crisisdesk-runner.php';
require_once CRISISDESK_BRIDGE_DIR . 'includes/class-crisisdesk-replies-route.php';
require_once CRISISDESK_BRIDGE_DIR . 'includes/class-crisisdesk-admin.php';
require_once CRISISDESK_BRIDGE_DIR . 'includes/class-crisisdesk-widget.php';
require_once CRISISDESK_BRIDGE_DIR . 'includes/class-crisisdesk-privacy.php';
require_once CRISISDESK_BRIDGE_DIR . 'includes/class-crisisdesk-review-requests.php';

register_activation_hook( __FILE__, array( 'CrisisDesk_Schema', 'activate' ) );
register_deactivation_hook( __FILE__, array( 'CrisisDesk_Schema', 'deactivate' ) );

// WooCommerce's custom order tables (HPOS): orders are only ever read through wc_get_order().
add_action(
	'before_woocommerce_init',
	static function () {
		if ( class_exists( '\Automattic\WooCommerce\Utilities\FeaturesUtil' ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', CRISISDESK_BRIDGE_FILE, true );
		}
	}
);

add_action(
	'plugins_loaded',
	static function () {
		load_plugin_textdomain( 'crisisdesk-bridge', false, dirname( plugin_basename( CRISISDESK_BRIDGE_FILE ) ) . '/languages' );
		CrisisDesk_Schema::maybe_upgrade();
	}
);

CrisisDesk_Event_Hooks::register();
CrisisDesk_Runner::register();
CrisisDesk_Replies_Route::register();
CrisisDesk_Admin::register();
CrisisDesk_Widget::register();
CrisisDesk_Privacy::register();
CrisisDesk_Review_Requests::register();
