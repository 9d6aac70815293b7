<?php
/**
 * Comments, or reviews on a product, and the form to add one.
 */

if ( post_password_required() ) {
	return;
}
?>
<section id="comments" class="comments-area">
	<?php if ( have_comments() ) : ?>
		<ol class="comment-list">
			<?php wp_list_comments( array( 'style' => 'ol' ) ); ?>
		</ol>
	<?php endif; ?>
	<?php comment_form(); ?>
</section>
