# products.ndjson -> "sku<TAB>value" lines for kafka-avro-console-producer (Confluent), see docs/catalog-guide.md.
# That tool reads Avro's own JSON encoding: a non-null union value is wrapped in its branch
# ({"string": "Kestrel"}) and every field is present. Run: jq -r -f avro-json-lines.jq products.ndjson
def opt(branch): if . == null then null else {(branch): .} end;
def product:
  {
    sku, title,
    brand: (.brand | opt("string")),
    category: (.category // []),
    description: (.description | opt("string")),
    url: (.url | opt("string")),
    price, stock,
    images: (.images // []),
    variants: [(.variants // [])[] | {
      sku,
      size: (.size | opt("string")),
      color: (.color | opt("string")),
      price: (.price | opt("dev.ferry.examples.Price")),
      stock,
      removed: (.removed // false)
    }],
    updated_at,
    removed: (.removed // false)
  };
"\(.sku)\t\(product | tojson)"
