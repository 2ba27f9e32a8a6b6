"""旅游投诉 work orders: the table, the service that commits them, and intake helpers."""
