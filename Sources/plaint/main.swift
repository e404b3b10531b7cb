print("plaint")
