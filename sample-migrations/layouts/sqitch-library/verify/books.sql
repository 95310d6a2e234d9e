-- Verify library:books on pg

SELECT id, author_id, title, published FROM library.books WHERE false;
