<?php
/**
 * The only template: a list of posts, or one post or product with its comments (reviews).
 */
?><!DOCTYPE html>
<html <?php language_attributes(); ?>>
<head>
<meta charset="<?php bloginfo( 'charset' ); ?>">
<?php wp_head(); ?>
</head>
<body <?php body_class(); ?>>
<?php wp_body_open(); ?>
<main id="main">
<?php
if ( have_posts() ) {
	while ( have_posts() ) {
		the_post();
		?>
		<article id="post-<?php the_ID(); ?>" <?php post_class(); ?>>
			<h1 class="entry-title"><?php the_title(); ?></h1>
			<div class="entry-content"><?php the_content(); ?></div>
		</article>
		<?php
		if ( is_singular() && ( comments_open() || get_comments_number() ) ) {
			comments_template();
		}
	}
} else {
	echo '<p class="nothing-found">Nothing found.</p>';
}
?>
</main>
<?php wp_footer(); ?>
</body>
</html>
