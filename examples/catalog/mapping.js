// Ferry catalog mapping (JavaScript): one product message from the PIM -> catalog entities.
// Ferry calls map(message, meta) for every Kafka record; meta = {topic, partition, offset, key, timestamp, headers}.
// Returns an array of {type, id, op, data} entities: the item first, then one entity per variant.
// mapping.jsonata does exactly the same in JSONata.

// Leave out fields that are null or missing: Avro-decoded messages carry null for every absent optional field.
function compact(fields) {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null));
}

// "Kestrel Stridelite 3 - 42 / black"; just the title when the variant has neither size nor color.
function variationName(product, variant) {
  const options = [variant.size, variant.color].filter((option) => option !== undefined && option !== null);
  return options.length > 0 ? `${product.title} - ${options.join(" / ")}` : product.title;
}

function variation(product, variant) {
  if (variant.removed === true) {
    return { type: "variation", id: variant.sku, op: "delete" };
  }
  return {
    type: "variation",
    id: variant.sku,
    op: "upsert",
    data: compact({
      item_id: product.sku,
      name: variationName(product, variant),
      size: variant.size,
      color: variant.color,
      // a variant without its own price sells at the product's price
      price: variant.price?.amount ?? product.price?.amount,
      stock: variant.stock?.available,
    }),
  };
}

function map(message, meta) {
  if (message === null || typeof message !== "object" || message.sku === undefined || message.sku === null) {
    throw new Error("product message without a sku");
  }
  const product = message;
  const variants = product.variants ?? [];

  // The product is gone: delete the item and every variation it listed.
  if (product.removed === true) {
    return [
      { type: "item", id: product.sku, op: "delete" },
      ...variants.map((variant) => ({ type: "variation", id: variant.sku, op: "delete" })),
    ];
  }

  const item = {
    type: "item",
    id: product.sku,
    op: "upsert",
    data: compact({
      name: product.title,
      brand: product.brand,
      categories: product.category,
      description: product.description,
      price: product.price?.amount,
      currency: product.price?.currency,
      stock: product.stock?.available,
      image_url: product.images?.[0],
      url: product.url,
    }),
  };
  // a removed variant becomes a delete, every other one an upsert
  return [item, ...variants.map((variant) => variation(product, variant))];
}
