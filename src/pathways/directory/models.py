"""The resource directory: services an organisation curates (housing, work, money, mutual aid, treatment,"""
