<?php
/**
 * The settings page's markup. Variables from CrisisDesk_Admin::render(): $stats, $failed, $review_requests, $notice.
 *
 * @package CrisisDesk_Bridge
 */

defined( 'ABSPATH' ) || exit;

$crisisdesk_fields = array(
	'service_url' => array(
		'label' => __( 'Service URL', 'crisisdesk-bridge' ),
		'help'  => __( 'Where CrisisDesk runs, e.g. https://crisisdesk.example.com or http://10.0.0.5:5000. Private addresses and any port are fine.', 'crisisdesk-bridge' ),
	),
	'shop_id'     => array(
		'label' => __( 'Shop id', 'crisisdesk-bridge' ),
		'help'  => __( 'The number CrisisDesk gave this shop.', 'crisisdesk-bridge' ),
	),
	'secret'      => array(
		'label' => __( 'Shared secret', 'crisisdesk-bridge' ),
		'help'  => __( 'Shown once by CrisisDesk when the shop was added (whsec_…). Leave empty to keep the stored one.', 'crisisdesk-bridge' ),
	),
);
$crisisdesk_candidates = CrisisDesk_Config::reply_user_candidates();
$crisisdesk_runner     = function_exists( 'as_schedule_single_action' ) ? __( 'Action Scheduler', 'crisisdesk-bridge' ) : __( 'WP-Cron', 'crisisdesk-bridge' );
?>
<div class="wrap crisisdesk-settings">
	<h1><?php esc_html_e( 'CrisisDesk', 'crisisdesk-bridge' ); ?></h1>

	<?php if ( $notice ) : ?>
		<div class="notice notice-<?php echo esc_attr( in_array( $notice['type'], array( 'error', 'warning' ), true ) ? $notice['type'] : 'success' ); ?> is-dismissible crisisdesk-notice">
			<p><?php echo esc_html( $notice['message'] ); ?></p>
		</div>
	<?php endif; ?>

	<h2><?php esc_html_e( 'Connection', 'crisisdesk-bridge' ); ?></h2>
	<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
		<input type="hidden" name="action" value="crisisdesk_save_settings" />
		<?php wp_nonce_field( 'crisisdesk_save_settings' ); ?>
		<table class="form-table" role="presentation">
			<?php foreach ( $crisisdesk_fields as $crisisdesk_name => $crisisdesk_field ) : ?>
				<?php
				$crisisdesk_id    = 'crisisdesk_' . $crisisdesk_name;
				$crisisdesk_fixed = CrisisDesk_Config::is_fixed( $crisisdesk_name );
				$crisisdesk_value = 'secret' === $crisisdesk_name ? '' : CrisisDesk_Config::get( $crisisdesk_name );
				?>
				<tr>
					<th scope="row"><label for="<?php echo esc_attr( $crisisdesk_id ); ?>"><?php echo esc_html( $crisisdesk_field['label'] ); ?></label></th>
					<td>
						<?php if ( $crisisdesk_fixed ) : ?>
							<code id="<?php echo esc_attr( $crisisdesk_id ); ?>"><?php echo esc_html( 'secret' === $crisisdesk_name ? CrisisDesk_Config::masked_secret() : $crisisdesk_value ); ?></code>
							<p class="description">
								<?php
								/* translators: %s: constant name. */
								echo esc_html( sprintf( __( 'Fixed by %s in wp-config.php.', 'crisisdesk-bridge' ), CrisisDesk_Config::SETTINGS[ $crisisdesk_name ]['constant'] ) );
								?>
							</p>
						<?php else : ?>
							<input
								type="<?php echo esc_attr( 'secret' === $crisisdesk_name ? 'password' : 'text' ); ?>"
								id="<?php echo esc_attr( $crisisdesk_id ); ?>"
								name="<?php echo esc_attr( $crisisdesk_id ); ?>"
								value="<?php echo esc_attr( $crisisdesk_value ); ?>"
								class="regular-text"
								autocomplete="off"
								<?php if ( 'secret' === $crisisdesk_name && CrisisDesk_Config::secret() ) : ?>
									placeholder="<?php echo esc_attr( CrisisDesk_Config::masked_secret() ); ?>"
								<?php endif; ?>
							/>
							<p class="description"><?php echo esc_html( $crisisdesk_field['help'] ); ?></p>
						<?php endif; ?>
					</td>
				</tr>
			<?php endforeach; ?>
			<tr>
				<th scope="row"><label for="crisisdesk_reply_user_id"><?php esc_html_e( 'Reply as', 'crisisdesk-bridge' ); ?></label></th>
				<td>
					<?php
					wp_dropdown_users(
						array(
							'name'       => 'crisisdesk_reply_user_id',
							'id'         => 'crisisdesk_reply_user_id',
							// array( 0 ): nobody, where an empty include would mean everybody.
							'include'    => $crisisdesk_candidates ? $crisisdesk_candidates : array( 0 ),
							'selected'   => CrisisDesk_Config::reply_user_id(),
						)
					);
					?>
					<p class="description"><?php esc_html_e( 'Public replies appear under reviews as this user; events are read with this user\'s rights.', 'crisisdesk-bridge' ); ?></p>
				</td>
			</tr>
		</table>
		<?php submit_button( __( 'Save settings', 'crisisdesk-bridge' ) ); ?>
	</form>
	<?php CrisisDesk_Admin::action_form( 'crisisdesk_test_connection', __( 'Test connection', 'crisisdesk-bridge' ) ); ?>

	<h2><?php esc_html_e( 'Event queue', 'crisisdesk-bridge' ); ?></h2>
	<table class="widefat striped crisisdesk-queue-status" role="presentation">
		<tbody>
			<tr><th scope="row"><?php esc_html_e( 'Waiting to be sent', 'crisisdesk-bridge' ); ?></th><td class="crisisdesk-pending"><?php echo esc_html( number_format_i18n( $stats['pending'] ) ); ?></td></tr>
			<tr><th scope="row"><?php esc_html_e( 'Failed', 'crisisdesk-bridge' ); ?></th><td class="crisisdesk-failed"><?php echo esc_html( number_format_i18n( $stats['failed'] ) ); ?></td></tr>
			<tr><th scope="row"><?php esc_html_e( 'Delivered (last 14 days)', 'crisisdesk-bridge' ); ?></th><td><?php echo esc_html( number_format_i18n( $stats['delivered'] ) ); ?></td></tr>
			<tr><th scope="row"><?php esc_html_e( 'Last delivery', 'crisisdesk-bridge' ); ?></th><td class="crisisdesk-last-delivery"><?php echo esc_html( CrisisDesk_Admin::local_time( $stats['last_delivery'] ) ); ?></td></tr>
			<tr><th scope="row"><?php esc_html_e( 'Next attempt', 'crisisdesk-bridge' ); ?></th><td><?php echo esc_html( CrisisDesk_Admin::local_time( $stats['next_attempt'] ) ); ?></td></tr>
			<tr><th scope="row"><?php esc_html_e( 'Delivered by', 'crisisdesk-bridge' ); ?></th><td><?php echo esc_html( $crisisdesk_runner ); ?></td></tr>
		</tbody>
	</table>
	<p>
		<?php CrisisDesk_Admin::action_form( 'crisisdesk_deliver_now', __( 'Deliver now', 'crisisdesk-bridge' ) ); ?>
		<?php if ( $stats['failed'] ) : ?>
			<?php CrisisDesk_Admin::action_form( 'crisisdesk_retry_failed', __( 'Retry failed events', 'crisisdesk-bridge' ), '', 'button button-primary' ); ?>
		<?php endif; ?>
	</p>
	<?php if ( $failed ) : ?>
		<h3><?php esc_html_e( 'Failed events', 'crisisdesk-bridge' ); ?></h3>
		<table class="widefat striped crisisdesk-failed-events">
			<thead>
				<tr>
					<th><?php esc_html_e( 'Event', 'crisisdesk-bridge' ); ?></th>
					<th><?php esc_html_e( 'Resource', 'crisisdesk-bridge' ); ?></th>
					<th><?php esc_html_e( 'Attempts', 'crisisdesk-bridge' ); ?></th>
					<th><?php esc_html_e( 'Reason', 'crisisdesk-bridge' ); ?></th>
					<th><?php esc_html_e( 'Queued', 'crisisdesk-bridge' ); ?></th>
				</tr>
			</thead>
			<tbody>
				<?php foreach ( $failed as $crisisdesk_event ) : ?>
					<tr>
						<td><code><?php echo esc_html( $crisisdesk_event->event_type ); ?></code></td>
						<td><?php echo esc_html( $crisisdesk_event->resource_type . ' #' . $crisisdesk_event->resource_id ); ?></td>
						<td><?php echo esc_html( number_format_i18n( (int) $crisisdesk_event->attempts ) ); ?></td>
						<td class="crisisdesk-reason"><?php echo esc_html( (string) $crisisdesk_event->last_error ); ?></td>
						<td><?php echo esc_html( CrisisDesk_Admin::local_time( $crisisdesk_event->created_gmt ) ); ?></td>
					</tr>
				<?php endforeach; ?>
			</tbody>
		</table>
	<?php endif; ?>

	<h2><?php esc_html_e( 'Review requests', 'crisisdesk-bridge' ); ?></h2>
	<p><?php esc_html_e( 'WooCommerce 10.8 and newer can email customers a review request when an order is completed. CrisisDesk holds it back while the customer has an open case or has opted out of the shop\'s emails. When CrisisDesk cannot be asked, WooCommerce decides alone.', 'crisisdesk-bridge' ); ?></p>
	<?php if ( $review_requests ) : ?>
		<table class="widefat striped crisisdesk-review-requests">
			<thead>
				<tr>
					<th><?php esc_html_e( 'When', 'crisisdesk-bridge' ); ?></th>
					<th><?php esc_html_e( 'Order', 'crisisdesk-bridge' ); ?></th>
					<th><?php esc_html_e( 'Review request', 'crisisdesk-bridge' ); ?></th>
					<th><?php esc_html_e( 'Reason', 'crisisdesk-bridge' ); ?></th>
				</tr>
			</thead>
			<tbody>
				<?php foreach ( $review_requests as $crisisdesk_entry ) : ?>
					<tr class="crisisdesk-review-request-<?php echo esc_attr( $crisisdesk_entry['outcome'] ); ?>">
						<td><?php echo esc_html( CrisisDesk_Admin::local_time( $crisisdesk_entry['time_gmt'] ) ); ?></td>
						<td><?php echo esc_html( '#' . $crisisdesk_entry['order_number'] ); ?></td>
						<td><?php echo esc_html( CrisisDesk_Review_Requests::outcome_label( $crisisdesk_entry ) ); ?></td>
						<td class="crisisdesk-reason"><?php echo esc_html( CrisisDesk_Review_Requests::reason_text( $crisisdesk_entry ) ); ?></td>
					</tr>
				<?php endforeach; ?>
			</tbody>
		</table>
	<?php endif; ?>

	<h2><?php esc_html_e( 'History', 'crisisdesk-bridge' ); ?></h2>
	<p><?php esc_html_e( 'CrisisDesk can import this shop\'s past orders and reviews through the WooCommerce REST API (it needs the API keys you entered in the CrisisDesk panel). Running it again is safe.', 'crisisdesk-bridge' ); ?></p>
	<?php
	CrisisDesk_Admin::action_form(
		'crisisdesk_request_backfill',
		__( 'Import history', 'crisisdesk-bridge' ),
		'<label><input type="checkbox" name="crisisdesk_restart" value="1" /> ' . esc_html__( 'Start over instead of resuming', 'crisisdesk-bridge' ) . '</label> '
	);
	?>
</div>
